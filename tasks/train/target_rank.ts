/**
 * The rank of the true class among a model's scores, for top-k accuracy.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * For each row, how many classes rank above the true class: those with a strictly higher score,
 * plus those with an equal score and a lower index (ties break like `argMax`, so a model with
 * constant outputs is right only on class 0). The sample is top-k correct when rank < k.
 *
 * @param output [b, classes] scores (logits or probabilities)
 * @param labels [b] int32 class indices
 * @returns [b] float32 ranks
 */
export function targetRank(output: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = output.shape[output.shape.length - 1] as number;
    const scores = tf.reshape(output, [-1, classes]);
    const y = tf.reshape(tf.cast(labels, "int32"), [-1, 1]);
    const onehot = tf.cast(tf.oneHot(tf.reshape(y, [-1]), classes), "float32");
    const target = tf.sum(tf.mul(scores, onehot), 1, true); // [b, 1]
    const index = tf.reshape(tf.range(0, classes, 1, "int32"), [1, classes]);
    const above = tf.logicalOr(
      tf.greater(scores, target),
      tf.logicalAnd(tf.equal(scores, target), tf.less(index, y)),
    );
    return tf.sum(tf.cast(above, "float32"), 1) as tf.Tensor1D;
  });
}
