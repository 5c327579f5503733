/** `requiredInputShape`: the input size a model wants for data of a given shape. */
import type { InputShapeRule } from "./_family.ts";
import type { ModelOptions, ModelOptionsOf } from "./model_options.ts";
import { alexnetInputShape } from "./alexnet.ts";
import { densenetInputShape } from "./densenet.ts";
import { googlenetInputShape } from "./googlenet.ts";
import { vggInputShape } from "./vgg.ts";

const same: InputShapeRule<ModelOptions> = (_o, data) => data;
const imagenet: InputShapeRule<ModelOptions> = (_o, data) => [224, 224, data[2]];

const RULES: { [N in ModelOptions["name"]]: InputShapeRule<ModelOptionsOf<N>> } = {
  lenet: same,
  lenet5: same,
  net: same,
  cnn: same,
  alexnet: alexnetInputShape,
  alexnet_d2l: alexnetInputShape,
  alexnet_small: alexnetInputShape,
  vgg: vggInputShape,
  vgg_small: vggInputShape,
  nin: imagenet,
  googlenet: googlenetInputShape,
  resnet: same,
  resnet_cifar: same,
  resnet_dropout: same,
  se_resnet: same,
  densenet: densenetInputShape,
  densenet_simple: densenetInputShape,
  mobilenet_v1: same,
  mobilenet_v2: same,
};

/**
 * The `[h, w, c]` input the model wants for data of shape `dataShape`: the classic ImageNet
 * models want the sizes their papers (and the lab reports) resize to: `alexnet`, `alexnet_d2l`,
 * `vgg` and `nin` 224×224, `googlenet` 96×96 (d2l), `densenet` at least 32×32; the others take
 * the data as is. Channels always follow the data. The train stage
 * resizes to it unless the run sets `preprocess.resize`.
 */
export function requiredInputShape(
  options: ModelOptions,
  dataShape: [number, number, number],
): [number, number, number] {
  const rule = RULES[options.name] as InputShapeRule<ModelOptions>;
  return rule(options, dataShape);
}
