/**
 * Schemas of the train and evaluate artifacts the report reads (ARCHITECTURE.md "Artifacts").
 * Objects are loose: upstream stages may add fields without breaking the report. Numbers may be
 * null because JSON has no NaN or Infinity (a diverged run writes null).
 * @module
 */
import { z } from "zod";

const num = z.number().nullable();

/** One line of history.json's `epochs`. */
export const epochRecordSchema = z.looseObject({
  epoch: z.int().min(0),
  train_loss: num,
  train_acc: num,
  val_loss: num.optional().default(null),
  val_top1: num.optional().default(null),
  val_top5: num.optional().default(null),
  lr: num.optional().default(null),
  seconds: num.optional().default(null),
  images_per_sec: num.optional().default(null),
});

/** history.json. */
export const historySchema = z.looseObject({ epochs: z.array(epochRecordSchema) });

/** train.json. */
export const trainInfoSchema = z.looseObject({
  status: z.string(),
  flags: z.array(z.string()).default([]),
  epochs: z.int().min(0),
  seconds: num,
  images_per_sec: num,
  params: z.int().min(0),
  backend: z.string(),
  provenance: z.record(z.string(), z.unknown()).optional(),
  /** The epochs the run asked for (train.epochs); absent in older outputs. */
  planned_epochs: z.int().min(0).optional(),
  /** Why the run stopped when it did not finish normally. */
  message: z.string().nullable().optional(),
  /** Where the loss stopped being finite (the diverging epoch is not in the history). */
  divergence: z.looseObject({
    epoch: z.number(),
    batch: z.number().optional(),
    loss: z.string().or(z.number()).nullable().optional(),
    lr: z.number().nullable().optional(),
  }).nullable().optional(),
});

/** metrics.json of the evaluate stage. */
export const evalMetricsSchema = z.looseObject({
  loss: num,
  top1: num,
  top5: num,
  per_class: z.array(z.unknown()).default([]),
  confusion: z.array(z.array(z.number())),
  class_names: z.array(z.string()),
  images_per_sec: num,
  count: z.int().min(0),
  backend: z.string(),
});

/** One layer row of summary.json. */
export const summaryRowSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  outputShape: z.array(z.number().nullable()).or(z.string()).or(z.array(z.unknown())),
  params: z.number(),
  multAdds: z.number().nullable().optional(),
});

/** summary.json: the model summary written by the train stage. */
export const modelSummarySchema = z.looseObject({
  rows: z.array(summaryRowSchema),
  totalParams: z.number(),
  trainableParams: z.number(),
  multAdds: z.number().nullable().optional(),
  batchSize: z.number().optional(),
  paramsMB: z.number().optional(),
  forwardBackwardMB: z.number().optional(),
  totalMB: z.number().optional(),
});

/** One epoch of a run's history. */
export type EpochRecord = z.output<typeof epochRecordSchema>;
/** A run's train.json. */
export type TrainInfo = z.output<typeof trainInfoSchema>;
/** A run's metrics.json. */
export type EvalMetrics = z.output<typeof evalMetricsSchema>;
/** A run's summary.json. */
export type ModelSummary = z.output<typeof modelSummarySchema>;
