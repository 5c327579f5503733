/**
 * Runs a model over a stream of batches in inference mode and measures loss, top-1/top-5,
 * per-class accuracy, the confusion matrix, throughput, and each image's prediction.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { BatchStream } from "./batch.ts";
import { releasePooledMemory } from "../backends/release_pooled_memory.ts";
import { applyInference } from "./apply_freeing.ts";
import { crossEntropy } from "./cross_entropy.ts";
import { targetRank } from "./target_rank.ts";
import { yieldToEventLoop } from "./_yield_to_event_loop.ts";

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /** Number of classes (rows and columns of the confusion matrix). */
  classes: number;
  /** Whether the model outputs logits (true) or softmax probabilities. Default true. */
  fromLogits?: boolean;
  /** Called after each batch with the images seen so far. Default: nothing. */
  onBatch?: (done: number) => void;
  /** Aborts between batches. */
  signal?: AbortSignal;
  /**
   * Give the backend's pooled buffers back first (training's activations, other lengths than
   * inference's, would stay resident beside it). Default true.
   */
  releasePooled?: boolean;
}

/** What {@link evaluateModel} measured. */
export interface Evaluation {
  /** Mean cross-entropy (no label smoothing). */
  loss: number;
  top1: number;
  top5: number;
  /** Accuracy of each true class; null for a class with no sample. */
  per_class: (number | null)[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  count: number;
  seconds: number;
  images_per_sec: number;
  /** Per image, in stream order: true class, predicted class, probability of the prediction. */
  predictions: { label: Int32Array; prediction: Int32Array; confidence: Float32Array };
}

/**
 * Evaluates `model` on every batch of `batches` (disposing them).
 * @throws when the stream is empty
 */
export async function evaluateModel(
  model: LayersModel,
  batches: BatchStream,
  options: EvaluateModelOptions,
): Promise<Evaluation> {
  const { classes, fromLogits = true } = options;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let count = 0, lossSum = 0, top1 = 0, top5 = 0;
  const labels: number[] = [], predictions: number[] = [], confidences: number[] = [];
  if (options.releasePooled ?? true) releasePooledMemory();
  const start = performance.now();
  for await (const batch of batches) {
    try {
      // Let Ctrl-C / SIGTERM handlers run between batches (a batch never reaches the event loop).
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      const [stats, predicted, confidence] = tf.tidy(() => {
        const out = applyInference(model, batch.x);
        const rank = targetRank(out, batch.y);
        const sums = tf.stack([
          tf.mul(crossEntropy(out, batch.y, { fromLogits }), batch.size),
          tf.sum(tf.cast(tf.less(rank, 1), "float32")),
          tf.sum(tf.cast(tf.less(rank, 5), "float32")),
        ]);
        const scores = tf.reshape(out, [-1, classes]);
        const probabilities = fromLogits ? tf.softmax(scores) : scores;
        return [sums, tf.argMax(scores, 1), tf.max(probabilities, 1)];
      });
      const [s, p, y, c] = await Promise.all([
        stats.data(),
        predicted.data(),
        batch.y.data(),
        confidence.data(),
      ]);
      tf.dispose([stats, predicted, confidence]);
      lossSum += s[0];
      top1 += s[1];
      top5 += s[2];
      for (let i = 0; i < p.length; i++) {
        confusion[y[i]][p[i]]++;
        labels.push(y[i]);
        predictions.push(p[i]);
        confidences.push(c[i]);
      }
      count += batch.size;
      options.onBatch?.(count);
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
  }
  if (count === 0) throw new Error("Cannot evaluate a model on an empty set: no batch was given");
  const seconds = (performance.now() - start) / 1000;
  return {
    loss: lossSum / count,
    top1: top1 / count,
    top5: top5 / count,
    per_class: confusion.map((row, c) => {
      const n = row.reduce((a, b) => a + b, 0);
      return n === 0 ? null : row[c] / n;
    }),
    confusion,
    count,
    seconds,
    images_per_sec: count / seconds,
    predictions: {
      label: Int32Array.from(labels),
      prediction: Int32Array.from(predictions),
      confidence: Float32Array.from(confidences),
    },
  };
}
