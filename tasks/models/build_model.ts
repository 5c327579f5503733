/** `buildModel`: options → a fresh, seeded TF.js model. */
import type * as tf from "@tensorflow/tfjs";
import type { Builder, ModelIO } from "./_family.ts";
import { buildAlexnet } from "./alexnet.ts";
import { buildDensenet, buildDensenetSimple } from "./densenet.ts";
import { buildGooglenet } from "./googlenet.ts";
import { buildLenet } from "./lenet.ts";
import { buildMobilenetV1 } from "./mobilenet_v1.ts";
import { buildMobilenetV2 } from "./mobilenet_v2.ts";
import { buildNin } from "./nin.ts";
import { buildCnn } from "./plain_cnn.ts";
import { buildResnetCifar } from "./resnet_cifar.ts";
import { buildResnetDropout } from "./resnet_dropout.ts";
import type { ModelOptions, ModelOptionsOf } from "./model_options.ts";
import { MODEL_NAMES } from "./model_options.ts";
import { buildResnet } from "./resnet.ts";
import { buildVgg } from "./vgg.ts";

const BUILDERS: { [N in ModelOptions["name"]]: Builder<ModelOptionsOf<N>> } = {
  lenet: buildLenet,
  lenet5: buildLenet,
  net: buildLenet,
  cnn: buildCnn,
  alexnet: buildAlexnet,
  alexnet_d2l: buildAlexnet,
  alexnet_small: buildAlexnet,
  vgg: buildVgg,
  vgg_small: buildVgg,
  nin: buildNin,
  googlenet: buildGooglenet,
  resnet: buildResnet,
  resnet_cifar: buildResnetCifar,
  resnet_dropout: buildResnetDropout,
  se_resnet: buildResnetCifar,
  densenet: buildDensenet,
  densenet_simple: buildDensenetSimple,
  mobilenet_v1: buildMobilenetV1,
  mobilenet_v2: buildMobilenetV2,
};

/**
 * Builds the model `options` describe for input `io.inputShape` (`[h, w, c]`, see
 * `requiredInputShape`) and `io.classes` outputs (logits, no softmax). Every initializer is
 * seeded from `io.seed` and its layer's name, so equal seeds give identical weights.
 *
 * @throws Error when the name is unknown (listing the valid ones) or the input is too small for
 *   the architecture.
 */
export function buildModel(options: ModelOptions, io: ModelIO): tf.LayersModel {
  const build = BUILDERS[options.name] as Builder<ModelOptions> | undefined;
  if (build === undefined) {
    throw new Error(
      `Unknown model name '${String(options.name)}': valid names are ${MODEL_NAMES.join(", ")}`,
    );
  }
  const [h, w, c] = io.inputShape;
  if (![h, w, c, io.classes].every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(
      `Cannot build model '${options.name}' as input shape and classes must be positive integers: input [${io.inputShape}], classes ${io.classes}`,
    );
  }
  const fail = (why: string) =>
    new Error(
      `Cannot build model '${options.name}' for input [${io.inputShape}]: ${why}. Use a larger input (preprocess.resize) or a shallower model`,
    );
  let model: tf.LayersModel;
  try {
    model = build(options, io);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  // TF.js happily builds layers with empty feature maps when the input is too small.
  const empty = model.layers.find((l) => (l.outputShape as (number | null)[]).some((d) => d === 0));
  if (empty !== undefined) {
    const shape = (empty.outputShape as (number | null)[]).slice(1);
    model.dispose();
    throw fail(`layer '${empty.name}' would output [${shape}]`);
  }
  return model;
}
