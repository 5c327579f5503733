/**
 * The batch shape the training loop and evaluation consume (what tasks/datasets `batches()` yields).
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";

/** One batch; the consumer disposes `x` and `y`. */
export interface Batch {
  /** [b, h, w, c] float32, preprocessed. */
  x: tf.Tensor;
  /** [b] int32 labels. */
  y: tf.Tensor;
  /** b. */
  size: number;
}

/** Anything that yields batches, synchronously or not. */
export type BatchStream = Iterable<Batch> | AsyncIterable<Batch>;
