/**
 * Gradient clipping by global norm, as PyTorch's `clip_grad_norm_`.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Scales all `grads` by min(1, maxNorm / (‖grads‖₂ + 1e-6)), the norm taken over all of them
 * together. Needs no read-back from the device.
 *
 * @returns new tensors (the caller disposes both the inputs and these)
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): tf.Tensor[] {
  return tf.tidy(() => {
    const sq = grads.map((g) => tf.sum(tf.square(g)));
    const norm = tf.sqrt(tf.addN(sq));
    const scale = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
    return grads.map((g) => tf.mul(g, scale));
  });
}
