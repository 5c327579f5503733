/**
 * Softmax cross-entropy with optional label smoothing, from logits or from probabilities.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** True when `output` holds logits; false when it already went through a softmax. Default true. */
  fromLogits?: boolean;
  /** Weight ε of the uniform target: t = (1 − ε)·onehot + ε / classes. Default 0. */
  labelSmoothing?: number;
}

/**
 * Mean cross-entropy of a batch, as PyTorch's `CrossEntropyLoss(label_smoothing=ε)`.
 *
 * @param output [b, classes] logits (or probabilities, see options)
 * @param labels [b] int32 class indices
 * @returns a scalar
 */
export function crossEntropy(
  output: tf.Tensor,
  labels: tf.Tensor,
  options: CrossEntropyOptions = {},
): tf.Scalar {
  const { fromLogits = true, labelSmoothing = 0 } = options;
  return tf.tidy(() => {
    const classes = output.shape[output.shape.length - 1] as number;
    const logits = tf.reshape(output, [-1, classes]);
    let target: tf.Tensor = tf.cast(tf.oneHot(tf.cast(labels, "int32"), classes), "float32");
    if (labelSmoothing > 0) {
      target = tf.add(tf.mul(target, 1 - labelSmoothing), labelSmoothing / classes);
    }
    if (fromLogits) return fromLogitsLoss(target)(logits);
    // Probabilities are clipped so that a confident wrong softmax gives a large loss, not Infinity.
    const logp = tf.log(tf.clipByValue(logits, 1e-7, 1));
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), 1)));
  });
}

/**
 * −mean(Σ target·logSoftmax(logits)) with its closed-form gradient (softmax − target) / b (each
 * target row sums to 1): three kernels backwards instead of autodiff's ten through the sums
 * and the log-softmax, which add up on backends with a high cost per kernel (wasm).
 */
function fromLogitsLoss(target: tf.Tensor) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const logits = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const logp = tf.logSoftmax(logits);
    // Saved, not captured: the caller's tidy disposes `target` before the backward pass.
    save([logp, target]);
    const value = tf.neg(tf.mean(tf.sum(tf.mul(target, logp), 1))) as tf.Scalar;
    return {
      value,
      gradFunc: (dy: tf.Tensor, [savedLogp, savedTarget]: tf.Tensor[]) =>
        tf.mul(tf.sub(tf.exp(savedLogp), savedTarget), tf.div(dy, logits.shape[0] as number)),
    };
  }) as (logits: tf.Tensor) => tf.Scalar;
}
