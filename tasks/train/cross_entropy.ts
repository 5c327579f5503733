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
    // Probabilities are clipped so that a confident wrong softmax gives a large loss, not Infinity.
    const logp = fromLogits ? tf.logSoftmax(logits) : tf.log(tf.clipByValue(logits, 1e-7, 1));
    let target: tf.Tensor = tf.cast(tf.oneHot(tf.cast(labels, "int32"), classes), "float32");
    if (labelSmoothing > 0) {
      target = tf.add(tf.mul(target, 1 - labelSmoothing), labelSmoothing / classes);
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), 1)));
  });
}
