/** `buildFromFamily`: one family's builder with the checks every model gets. */
import type * as tf from "@tensorflow/tfjs";
import type { ModelIO } from "./_family.ts";
import type { ModelFamily } from "./model_family.ts";

/**
 * Builds the model `options` describe with `family` for input `io.inputShape` (`[h, w, c]`) and
 * `io.classes` outputs (logits, no softmax). Every initializer is seeded from `io.seed` and its
 * layer's name, so equal seeds give identical weights.
 * @throws Error when the input shape or classes are not positive integers, or the input is too
 *   small for the architecture (naming the layer that would be empty).
 */
export function buildFromFamily<O extends { name: string }>(
  family: ModelFamily<O>,
  options: O,
  io: ModelIO,
): tf.LayersModel {
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
    model = family.build(options, io);
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

/** The `[h, w, c]` input `family` wants for data of shape `dataShape` (channels follow the data). */
export function familyInputShape<O extends { name: string }>(
  family: ModelFamily<O>,
  options: O,
  dataShape: [number, number, number],
): [number, number, number] {
  return family.inputShape ? family.inputShape(options, dataShape) : dataShape;
}
