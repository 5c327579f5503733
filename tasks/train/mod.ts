/**
 * Training and evaluation: options schemas, optimizers, learning-rate schedules, early stopping,
 * the seeded and checkpointed training loop, and evaluation.
 *
 * ```ts
 * const train = trainOptionsSchema.parse({ optimizer: "sgd", lr: 0.01, momentum: 0.9 });
 * const result = await trainModel(model, data, { train, seed: 0, checkpointPath: "work/ckpt" });
 * const test = await evaluateModel(model, testBatches, { classes: 10 });
 * ```
 * @module
 */
export {
  type EarlyStoppingOptions,
  earlyStoppingSchema,
  type EvaluateOptions,
  evaluateOptionsSchema,
  isLossMonitor,
  type Monitor,
  MONITORS,
  type ScheduleOptions,
  scheduleSchema,
  type TrainOptions,
  type TrainOptionsInput,
  trainOptionsSchema,
} from "./train_options.ts";
export {
  type Divergence,
  type TrainData,
  trainModel,
  type TrainModelOptions,
  type TrainProgress,
  type TrainResult,
  type TrainStatus,
} from "./train_model.ts";
export { evaluateModel, type EvaluateModelOptions, type Evaluation } from "./evaluate_model.ts";
export type { Batch, BatchStream } from "./batch.ts";
export {
  createOptimizer,
  type Optimizer,
  type OptimizerOptions,
  type TensorRecord,
} from "./create_optimizer.ts";
export { LrScheduler, type LrSchedulerOptions, type LrSchedulerState } from "./lr_scheduler.ts";
export { EarlyStopping, type EarlyStoppingState } from "./early_stopping.ts";
export { crossEntropy, type CrossEntropyOptions } from "./cross_entropy.ts";
export { targetRank } from "./target_rank.ts";
export { clipByGlobalNorm } from "./clip_by_global_norm.ts";
export { type Checkpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
export {
  hashSeed,
  installSeededMathRandom,
  mulberry32,
  type SeededMathRandom,
} from "./seeded_math_random.ts";
