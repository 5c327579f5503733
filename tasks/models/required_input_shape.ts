/** `requiredInputShape`: the input size a model wants for data of a given shape. */
import type { InputShapeRule } from "./_family.ts";
import type { ModelOptions, ModelOptionsOf } from "./model_options.ts";
import { vggInputShape } from "./vgg.ts";

const same: InputShapeRule<ModelOptions> = (_o, data) => data;

const RULES: { [N in ModelOptions["name"]]: InputShapeRule<ModelOptionsOf<N>> } = {
  lenet: same,
  lenet5: same,
  net: same,
  vgg: vggInputShape,
  vgg_small: vggInputShape,
  resnet: same,
};

/**
 * The `[h, w, c]` input the model wants for data of shape `dataShape`: the classic ImageNet
 * models want the sizes their papers (and the lab reports) resize to, e.g. `vgg` and `alexnet`
 * 224×224; most others take the data as is. Channels always follow the data. The train stage
 * resizes to it unless the run sets `preprocess.resize`.
 */
export function requiredInputShape(
  options: ModelOptions,
  dataShape: [number, number, number],
): [number, number, number] {
  const rule = RULES[options.name] as InputShapeRule<ModelOptions>;
  return rule(options, dataShape);
}
