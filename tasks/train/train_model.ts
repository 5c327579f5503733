/**
 * The training loop: epochs of seeded batches, validation, schedules, health checks and a
 * checkpoint after every epoch, so that a killed run resumes to the same numbers.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
// Side effect: tfjs-layers registers every op's gradient, which tfjs-core alone does not.
import "@tensorflow/tfjs-layers";
import type { BatchStream } from "./batch.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { clipByGlobalNorm } from "./clip_by_global_norm.ts";
import { createOptimizer, type TensorRecord } from "./create_optimizer.ts";
import { crossEntropy } from "./cross_entropy.ts";
import { EarlyStopping, type EarlyStoppingState } from "./early_stopping.ts";
import { evaluateModel } from "./evaluate_model.ts";
import { LrScheduler, type LrSchedulerState } from "./lr_scheduler.ts";
import { installSeededMathRandom } from "./seeded_math_random.ts";
import { targetRank } from "./target_rank.ts";
import { isLossMonitor, type TrainOptions } from "./train_options.ts";
import type { EpochRecord } from "./write_history.ts";
import type { Json } from "./_json.ts";

/** The data a training run reads. */
export interface TrainData {
  classes: number;
  /** Images in the training split. */
  trainCount: number;
  /**
   * The training batches of 0-based `epoch`, shuffled from (seed, epoch) by the data layer,
   * starting at batch `startBatch` (after a mid-epoch resume; the order must not change).
   */
  trainBatches(epoch: number, startBatch: number): BatchStream;
  /** Images in the validation split; 0 = no validation. */
  valCount: number;
  /** The validation batches, in a fixed order. */
  valBatches(): BatchStream;
}

/** Progress of the run, in batches over the whole training. */
export interface TrainProgress {
  done: number;
  total: number;
  unit: string;
  note?: string;
}

/** Options of {@link trainModel}. */
export interface TrainModelOptions {
  /** Resolved `train:` options. */
  train: TrainOptions;
  /** Seeds dropout (through `Math.random`) per (seed, epoch, batch). */
  seed: number;
  /** Checkpoint file, rewritten after every epoch and read on start; null = no checkpoint. */
  checkpointPath: string | null;
  /**
   * Also checkpoint inside an epoch once this many seconds have passed since the last
   * checkpoint, so a kill loses at most that much of a long epoch. Default 600; Infinity: only
   * at epoch ends.
   */
  checkpointSeconds?: number;
  /** Whether the model outputs logits (true) or softmax probabilities. Default true. */
  fromLogits?: boolean;
  /** One line per epoch and per event. Default: nothing. */
  log?: (line: string) => void;
  /** After every batch. Default: nothing. */
  progress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

/** How a run ended. */
export type TrainStatus = "ok" | "diverged" | "early-stopped";

/** Where a run's loss stopped being finite. */
export interface Divergence {
  epoch: number;
  batch: number;
  loss: string;
  lr: number;
}

/** The outcome of {@link trainModel}; the model holds the final weights. */
export interface TrainResult {
  status: TrainStatus;
  /** Warnings for the report: `stuck-at-chance`. */
  flags: string[];
  /** One line saying why the run stopped early, or null. */
  message: string | null;
  history: EpochRecord[];
  /** Completed epochs. */
  epochs: number;
  /** Sum of epoch wall times (across resumes). */
  seconds: number;
  /** Training images per second over all completed epochs. */
  images_per_sec: number;
  divergence: Divergence | null;
  /** Best epoch of the early-stopping monitor, when early stopping is on. */
  best_epoch: number | null;
  /** The number of completed epochs found in the checkpoint, or null for a fresh start. */
  resumed_from_epoch: number | null;
}

/** Where a checkpoint taken inside an epoch left off, with that epoch's running sums. */
interface PartialEpoch {
  epoch: number;
  /** Batches of the epoch already applied. */
  batch: number;
  seen: number;
  lossSum: number;
  correct: number;
  /** Training seconds spent on the epoch so far. */
  seconds: number;
}

interface LoopState {
  /** Completed epochs. */
  epoch: number;
  /** Progress inside epoch `epoch` (0-based), when the checkpoint was taken mid-epoch. */
  partial: PartialEpoch | null;
  history: EpochRecord[];
  status: TrainStatus;
  flags: string[];
  message: string | null;
  divergence: Divergence | null;
  chanceEpochs: number;
  trainSeconds: number;
  scheduler: LrSchedulerState;
  earlyStopping: EarlyStoppingState | null;
  iterations: number;
}

/** Val top-1 (or train accuracy without validation) under 1.5 / classes counts as chance. */
const CHANCE_FACTOR = 1.5;

/**
 * Trains `model` in place on `data`, resuming from `options.checkpointPath` when it exists.
 *
 * A non-finite loss stops the run (status `diverged`, the model keeps the weights it had at the
 * start of that epoch); early stopping ends it with status `early-stopped`.
 *
 * @throws when the checkpoint does not fit the model, or when `signal` aborts
 */
export async function trainModel(
  model: LayersModel,
  data: TrainData,
  options: TrainModelOptions,
): Promise<TrainResult> {
  const { train, seed, checkpointPath, fromLogits = true, signal } = options;
  const log = options.log ?? (() => {});
  checkMonitors(train, data.valCount);
  const outputs = model.outputs[0].shape.at(-1);
  if (outputs !== data.classes) {
    throw new Error(
      `Cannot train a model with ${outputs} outputs on data with ${data.classes} classes`,
    );
  }
  const scheduler = new LrScheduler(train.schedule, { baseLr: train.lr, epochs: train.epochs });
  const stopper = train.early_stopping ? new EarlyStopping(train.early_stopping) : null;
  const optimizer = createOptimizer(train);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let state: LoopState = {
    epoch: 0,
    partial: null,
    history: [],
    status: "ok",
    flags: [],
    message: null,
    divergence: null,
    chanceEpochs: 0,
    trainSeconds: 0,
    scheduler: scheduler.state(),
    earlyStopping: stopper?.state() ?? null,
    iterations: 0,
  };
  let resumedFrom: number | null = null;
  const checkpoint = checkpointPath ? await loadCheckpoint(checkpointPath) : null;
  if (checkpoint) {
    state = checkpoint.meta as unknown as LoopState;
    restoreModel(
      model,
      checkpoint.tensors.filter((t) => t.name.startsWith("model/")),
      checkpointPath!,
    );
    optimizer.setState({
      iterations: state.iterations,
      slots: checkpoint.tensors.filter((t) => t.name.startsWith("opt/"))
        .map((t) => ({ ...t, name: t.name.slice(4) })),
    });
    scheduler.restore(state.scheduler);
    if (stopper && state.earlyStopping) stopper.restore(state.earlyStopping);
    resumedFrom = state.epoch;
    const p = state.partial;
    log(
      p
        ? `Resuming from the checkpoint in epoch ${p.epoch + 1} of ${train.epochs}, after batch ` +
          `${p.batch}`
        : `Resuming from the checkpoint after epoch ${state.epoch} of ${train.epochs}`,
    );
  }

  const checkpointMs = (options.checkpointSeconds ?? 600) * 1000;
  let lastSave = performance.now();
  const save = async () => {
    if (!checkpointPath) return;
    lastSave = performance.now();
    state.scheduler = scheduler.state();
    state.earlyStopping = stopper?.state() ?? null;
    state.iterations = optimizer.iterations;
    const opt = await optimizer.getState();
    const tensors: TensorRecord[] = [
      ...(await modelRecords(model)),
      ...opt.slots.map((t) => ({ ...t, name: `opt/${t.name}` })),
    ];
    await saveCheckpoint(checkpointPath, { meta: state as unknown as Json, tensors });
  };

  const batchesPerEpoch = Math.ceil(data.trainCount / train.batch_size);
  const random = installSeededMathRandom(seed);
  try {
    for (let e = state.epoch; e < train.epochs && state.status === "ok"; e++) {
      const lr = scheduler.lrFor(e);
      const epochStart = performance.now();
      const resume = state.partial?.epoch === e ? state.partial : null;
      const startBatch = resume?.batch ?? 0;
      // Weights where this pass over the epoch starts (shared buffers, no copy): restored if the
      // loss diverges, because the diverging forward pass has already moved batch-norm statistics.
      const snapshot = model.getWeights().map((w) => tf.clone(w));
      let seen = resume?.seen ?? 0, lossSum = resume?.lossSum ?? 0, correct = resume?.correct ?? 0;
      const seenBefore = seen;
      const elapsed = () => (resume?.seconds ?? 0) + (performance.now() - epochStart) / 1000;
      let b = startBatch;
      for await (const batch of data.trainBatches(e, startBatch)) {
        try {
          signal?.throwIfAborted();
          random.reseed(seed, e, b);
          const [loss, right] = await trainStep(batch, lr);
          if (!Number.isFinite(loss)) {
            state.divergence = { epoch: e + 1, batch: b + 1, loss: String(loss), lr };
            break;
          }
          seen += batch.size;
          lossSum += loss * batch.size;
          correct += right;
          const rate = (seen - seenBefore) / ((performance.now() - epochStart) / 1000);
          options.progress?.({
            done: e * batchesPerEpoch + b + 1,
            total: train.epochs * batchesPerEpoch,
            unit: "batch",
            note: `epoch ${e + 1}/${train.epochs} loss ${(lossSum / seen).toFixed(4)} ` +
              `acc ${pct(correct / seen)} ${Math.round(rate)} img/s`,
          });
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
        b++;
        if (checkpointPath && b < batchesPerEpoch && performance.now() - lastSave >= checkpointMs) {
          state.partial = { epoch: e, batch: b, seen, lossSum, correct, seconds: elapsed() };
          await save();
        }
      }
      if (state.divergence) model.setWeights(snapshot);
      tf.dispose(snapshot);
      if (state.divergence) {
        const d = state.divergence;
        state.status = "diverged";
        state.partial = null;
        const kept = startBatch === 0
          ? `from the start of epoch ${d.epoch}`
          : `from before batch ${startBatch + 1} of epoch ${d.epoch}`;
        state.message = `Training diverged at epoch ${d.epoch}, batch ${d.batch} of ` +
          `${batchesPerEpoch}: the loss is ${d.loss} at lr ${d.lr}. The weights ${kept} are ` +
          `kept; lower train.lr, set train.clip_norm or add a schedule.`;
        log(state.message);
        await save();
        break;
      }
      const trainSeconds = elapsed();
      const val = data.valCount > 0
        ? await evaluateModel(model, data.valBatches(), {
          classes: data.classes,
          fromLogits,
          signal,
        })
        : null;
      const record: EpochRecord = {
        epoch: e + 1,
        train_loss: lossSum / seen,
        train_acc: correct / seen,
        val_loss: val?.loss ?? null,
        val_top1: val?.top1 ?? null,
        val_top5: val?.top5 ?? null,
        lr,
        seconds: trainSeconds + (val?.seconds ?? 0),
        images_per_sec: seen / trainSeconds,
      };
      state.history.push(record);
      state.partial = null;
      state.trainSeconds += trainSeconds;
      log(formatEpoch(record, train.epochs));
      const metrics = record as unknown as Record<string, number | null>;
      scheduler.endEpoch(metrics);
      checkChance(state, record, data.classes, train.chance_patience, log);
      if (stopper?.endEpoch(e + 1, metrics)) {
        state.status = "early-stopped";
        const best = stopper.state();
        state.message = `Early stopping after epoch ${e + 1}: ${train.early_stopping!.monitor} ` +
          `has not improved for ${train.early_stopping!.patience} epochs (best ${best.best} at ` +
          `epoch ${best.bestEpoch})`;
        log(state.message);
      }
      state.epoch = e + 1;
      await save();
    }
  } finally {
    random.restore();
    optimizer.dispose();
  }

  const seconds = state.history.reduce((s, r) => s + r.seconds, 0);
  const images = state.history.length * data.trainCount;
  return {
    status: state.status,
    flags: state.flags,
    message: state.message,
    history: state.history,
    epochs: state.history.length,
    seconds,
    images_per_sec: state.trainSeconds > 0 ? images / state.trainSeconds : 0,
    divergence: state.divergence,
    best_epoch: stopper?.state().bestEpoch ?? null,
    resumed_from_epoch: resumedFrom,
  };

  /** One optimizer step; returns the batch's mean loss and its count of top-1 hits. */
  async function trainStep(batch: { x: tf.Tensor; y: tf.Tensor }, lr: number) {
    let hits: tf.Tensor | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(batch.x, { training: true }) as tf.Tensor; // [b, classes]
      hits = tf.keep(tf.sum(tf.cast(tf.less(targetRank(out, batch.y), 1), "float32")));
      return crossEntropy(out, batch.y, { fromLogits, labelSmoothing: train.label_smoothing });
    }, vars);
    const both = tf.stack([value, hits!]);
    const [loss, right] = await both.data();
    tf.dispose([both, value, hits!]);
    let list: (tf.Tensor | null)[] = vars.map((v) => grads[v.name] ?? null);
    if (Number.isFinite(loss)) {
      if (train.clip_norm !== null) {
        const present = list.filter((g): g is tf.Tensor => g !== null);
        const clipped = clipByGlobalNorm(present, train.clip_norm);
        let k = 0;
        list = list.map((g) => (g === null ? null : clipped[k++]));
        tf.dispose(present);
      }
      optimizer.step(vars, list, lr);
    }
    tf.dispose(list.filter((g): g is tf.Tensor => g !== null));
    tf.dispose(Object.values(grads));
    return [loss, right] as const;
  }
}

/** Rejects monitors that need a validation split when there is none. */
function checkMonitors(train: TrainOptions, valCount: number): void {
  if (valCount > 0) return;
  const uses = [
    train.schedule.type === "plateau" ? ["train.schedule.monitor", train.schedule.monitor] : null,
    train.early_stopping ? ["train.early_stopping.monitor", train.early_stopping.monitor] : null,
  ];
  for (const use of uses) {
    if (use && use[1].startsWith("val_")) {
      throw new Error(
        `Cannot monitor ${use[0]} '${use[1]}': the split has no validation set; set ` +
          `split.validation > 0 or monitor ${
            isLossMonitor(use[1] as "val_loss") ? "train_loss" : "train_acc"
          }`,
      );
    }
  }
}

/** Counts consecutive epochs at chance accuracy and raises the `stuck-at-chance` flag once. */
function checkChance(
  state: LoopState,
  record: EpochRecord,
  classes: number,
  patience: number,
  log: (line: string) => void,
): void {
  const acc = record.val_top1 ?? record.train_acc;
  state.chanceEpochs = acc < CHANCE_FACTOR / classes ? state.chanceEpochs + 1 : 0;
  if (state.chanceEpochs >= patience && !state.flags.includes("stuck-at-chance")) {
    state.flags.push("stuck-at-chance");
    log(
      `Warning: accuracy has stayed at chance (${pct(acc)} < ${pct(CHANCE_FACTOR / classes)} ` +
        `for ${classes} classes) for ${state.chanceEpochs} epochs: the model is not learning; ` +
        `try a lower train.lr or normalization`,
    );
  }
}

/** The model's weights (trainable or not) as checkpoint records, in `model.weights` order. */
async function modelRecords(model: LayersModel): Promise<TensorRecord[]> {
  const out: TensorRecord[] = [];
  for (const [i, w] of model.weights.entries()) {
    const values = await w.read().data();
    out.push({
      name: `model/${i}/${w.name}`,
      shape: w.shape.slice() as number[],
      // No copy for float32 (all weights here): big models would double the checkpoint's memory.
      values: values instanceof Float32Array ? values : Float32Array.from(values),
    });
  }
  return out;
}

/** Loads checkpoint records into the model after checking count and shapes. */
function restoreModel(model: LayersModel, records: readonly TensorRecord[], path: string): void {
  const weights = model.weights;
  const fail = (why: string) =>
    new Error(`Cannot resume from ${path}: ${why}; delete it to start the training over`);
  if (records.length !== weights.length) {
    throw fail(`it holds ${records.length} weights, the model has ${weights.length}`);
  }
  const tensors = records.map((r, i) => {
    const want = weights[i].shape.join(",");
    if (r.shape.join(",") !== want) {
      throw fail(
        `weight ${i} (${weights[i].name}) has shape [${r.shape}] there, [${want}] in the model`,
      );
    }
    return tf.tensor(r.values, r.shape, "float32");
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function formatEpoch(r: EpochRecord, epochs: number): string {
  const val = r.val_loss === null
    ? "no validation"
    : `val loss ${r.val_loss.toFixed(4)} top1 ${pct(r.val_top1!)} top5 ${pct(r.val_top5!)}`;
  return `epoch ${r.epoch}/${epochs}: train loss ${r.train_loss.toFixed(4)} acc ${
    pct(r.train_acc)
  } | ` +
    `${val} | lr ${r.lr.toPrecision(3)} | ${r.seconds.toFixed(1)} s, ${
      Math.round(r.images_per_sec)
    } img/s`;
}
