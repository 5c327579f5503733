/** `buildModel`: options → a fresh, seeded TF.js model. */
import type * as tf from "@tensorflow/tfjs";
import type { Builder, ModelIO } from "./_family.ts";
import { buildLenet } from "./lenet.ts";
import type { ModelOptions, ModelOptionsOf } from "./model_options.ts";
import { MODEL_NAMES } from "./model_options.ts";
import { buildResnet } from "./resnet.ts";
import { buildVgg } from "./vgg.ts";

const BUILDERS: { [N in ModelOptions["name"]]: Builder<ModelOptionsOf<N>> } = {
  lenet: buildLenet,
  lenet5: buildLenet,
  net: buildLenet,
  vgg: buildVgg,
  vgg_small: buildVgg,
  resnet: buildResnet,
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
