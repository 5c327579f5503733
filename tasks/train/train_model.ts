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
import { createOptimizer, type TensorRecord } from "./create_optimizer.ts";
import { EarlyStopping, type EarlyStoppingState } from "./early_stopping.ts";
import { evaluateModel } from "./evaluate_model.ts";
import { LrScheduler, type LrSchedulerState } from "./lr_scheduler.ts";
import { installSeededMathRandom } from "./seeded_math_random.ts";
import type { TrainOptions } from "./train_options.ts";
import type { EpochRecord } from "../artifacts/history.ts";
import type { Json } from "./_json.ts";
import { checkChance } from "./_check_chance.ts";
import { checkMonitors } from "./_check_monitors.ts";
import { formatEpoch, pct } from "./_format_epoch.ts";
import { modelWeightRecords, restoreModelWeights } from "./_model_weight_records.ts";
import { trainStep } from "./_train_step.ts";

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
    restoreModelWeights(
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
      ...(await modelWeightRecords(model)),
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
          const [loss, right] = await trainStep(batch, {
            model,
            vars,
            optimizer,
            lr,
            fromLogits,
            labelSmoothing: train.label_smoothing,
            clipNorm: train.clip_norm,
          });
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
          // The bar stays at the epoch's end while the note counts the validation images.
          onBatch: (done) =>
            options.progress?.({
              done: (e + 1) * batchesPerEpoch,
              total: train.epochs * batchesPerEpoch,
              unit: "batch",
              note: `epoch ${e + 1}/${train.epochs} validating ${done}/${data.valCount}`,
            }),
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
}
