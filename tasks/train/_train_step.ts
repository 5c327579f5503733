/**
 * One optimizer step of the training loop.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { variableGrads } from "../ops/variable_grads.ts";
import { applyTraining } from "./apply_freeing.ts";
import { clipByGlobalNorm } from "./clip_by_global_norm.ts";
import type { Optimizer } from "./create_optimizer.ts";
import { crossEntropy } from "./cross_entropy.ts";
import { targetRank } from "./target_rank.ts";

/** What {@link trainStep} needs besides the batch. */
export interface TrainStepOptions {
  model: LayersModel;
  /** The model's trainable variables, in a fixed order (the optimizer's slots follow it). */
  vars: readonly tf.Variable[];
  optimizer: Optimizer;
  lr: number;
  fromLogits: boolean;
  labelSmoothing: number;
  clipNorm: number | null;
}

/**
 * Forward and backward pass on `batch`, then, only when the loss is finite, one optimizer step
 * (after clipping). Disposes every tensor it makes; the caller disposes the batch.
 *
 * @returns the batch's mean loss and its number of top-1 hits
 */
export async function trainStep(
  batch: { x: tf.Tensor; y: tf.Tensor },
  o: TrainStepOptions,
): Promise<readonly [number, number]> {
  let hits: tf.Tensor | null = null;
  // Not tf.variableGrads: this one frees each gradient and saved activation during the backward
  // pass as soon as it is dead (a step's peak memory fell by ~40 % on MobileNet).
  const { value, grads } = variableGrads(() => {
    const out = applyTraining(o.model, batch.x); // [b, classes]
    hits = tf.keep(tf.sum(tf.cast(tf.less(targetRank(out, batch.y), 1), "float32")));
    return crossEntropy(out, batch.y, {
      fromLogits: o.fromLogits,
      labelSmoothing: o.labelSmoothing,
    });
  }, o.vars as tf.Variable[]);
  const both = tf.stack([value, hits!]);
  const [loss, right] = await both.data();
  tf.dispose([both, value, hits!]);
  // A variable that does not reach the loss gets no gradient: null, skipped by the optimizer.
  let list: (tf.Tensor | null)[] = o.vars.map((v) => grads[v.name] ?? null);
  if (Number.isFinite(loss)) {
    if (o.clipNorm !== null) {
      const present = list.filter((g): g is tf.Tensor => g !== null);
      const clipped = clipByGlobalNorm(present, o.clipNorm);
      let k = 0;
      list = list.map((g) => (g === null ? null : clipped[k++]));
      tf.dispose(present);
    }
    o.optimizer.step(o.vars, list, o.lr);
  }
  tf.dispose(list.filter((g): g is tf.Tensor => g !== null));
  tf.dispose(Object.values(grads));
  return [loss, right] as const;
}
