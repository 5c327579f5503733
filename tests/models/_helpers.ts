/** Test helpers: the cpu backend, model construction and a one-step training check. */
import * as tf from "@tensorflow/tfjs";
import { buildModel, parseModelOptions } from "../../tasks/models/mod.ts";

await tf.setBackend("cpu");

/** Builds the model `options` describe (parsed, so defaults apply). */
export function build(
  options: Record<string, unknown>,
  inputShape: [number, number, number],
  classes = 10,
  seed = 0,
): tf.LayersModel {
  return buildModel(parseModelOptions(options), { inputShape, classes, seed });
}

/** Sum of trainable parameters, i.e. PyTorch's count. */
export function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce(
    (a, w) => a + (w.shape as number[]).reduce((p, d) => p * d, 1),
    0,
  );
}

/** A fixed random batch: images in [0, 1) and one-hot labels. */
export function batch(
  size: number,
  shape: [number, number, number],
  classes: number,
  seed = 1,
): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const x = tf.randomUniform([size, ...shape], 0, 1, "float32", seed) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: size }, (_, i) => i % classes), "int32");
  const y = tf.oneHot(labels, classes).toFloat() as tf.Tensor2D;
  labels.dispose();
  return { x, y };
}

/** Training-mode cross-entropy of `model` on (x, y). */
function loss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const logits = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
}

/** Loss before and after `steps` Adam steps on one fixed batch (training mode both times). */
export function lossBeforeAfter(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  { lr = 1e-3, steps = 1 }: { lr?: number; steps?: number } = {},
): { before: number; after: number } {
  const before = tf.tidy(() => loss(model, x, y).dataSync()[0]);
  const opt = tf.train.adam(lr);
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      opt.minimize(() => loss(model, x, y));
    });
  }
  const after = tf.tidy(() => loss(model, x, y).dataSync()[0]);
  opt.dispose();
  return { before, after };
}
