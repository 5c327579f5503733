/**
 * The `train:` and `evaluate:` sections of a run: zod schemas with every default in one place.
 *
 * Keys are snake_case as in the YAML configs; unknown keys are errors (strict objects).
 * @module
 */
import { z } from "zod";

const positive = z.number().positive();
const fraction = z.number().min(0).lt(1);

/** `schedule: { type: none }`: the learning rate stays at `train.lr`. */
const noSchedule = z.strictObject({ type: z.literal("none") });

/** `schedule: { type: step }`: lr × gamma every `step_size` epochs (PyTorch StepLR). */
const stepSchedule = z.strictObject({
  type: z.literal("step"),
  step_size: z.int().positive().default(10),
  gamma: positive.default(0.1),
});

/** `schedule: { type: exponential }`: lr × gamma^epoch (PyTorch ExponentialLR). */
const exponentialSchedule = z.strictObject({
  type: z.literal("exponential"),
  gamma: positive.default(0.95),
});

/**
 * `schedule: { type: cosine }`: cosine annealing from lr to eta_min over t_max epochs
 * (PyTorch CosineAnnealingLR); t_max defaults to `train.epochs`.
 */
const cosineSchedule = z.strictObject({
  type: z.literal("cosine"),
  t_max: z.int().positive().optional(),
  eta_min: z.number().min(0).default(0),
});

/** Monitors that are better when smaller; the rest are accuracies, better when larger. */
export const LOSS_MONITORS = ["val_loss", "train_loss"] as const;
/** Every per-epoch metric that a schedule or early stopping can watch. */
export const MONITORS = ["val_loss", "val_top1", "val_top5", "train_loss", "train_acc"] as const;
/** A per-epoch metric name usable as `monitor`. */
export type Monitor = (typeof MONITORS)[number];

/**
 * `schedule: { type: plateau }`: PyTorch ReduceLROnPlateau with a relative threshold.
 * Lab report 002 uses `{ mode: max, monitor: val_top1, factor: 0.1, patience: 2,
 * threshold: 0.0001, min_lr: 1e-8 }`.
 */
const plateauSchedule = z.strictObject({
  type: z.literal("plateau"),
  monitor: z.enum(MONITORS).default("val_loss"),
  mode: z.enum(["min", "max"]).default("min"),
  factor: z.number().positive().lt(1).default(0.1),
  patience: z.int().min(0).default(10),
  threshold: z.number().min(0).default(1e-4),
  min_lr: z.number().min(0).default(0),
}).refine((s) => (s.mode === "min") === isLossMonitor(s.monitor), {
  error: (issue) => {
    const s = issue.input as { mode: string; monitor: string };
    const want = s.mode === "min" ? "max" : "min";
    return `mode '${s.mode}' does not fit monitor '${s.monitor}' (it would lower lr while it ` +
      `improves): set mode: ${want}`;
  },
  path: ["mode"],
});

/** `train.schedule`: how the learning rate changes from epoch to epoch. */
export const scheduleSchema = z.discriminatedUnion("type", [
  noSchedule,
  stepSchedule,
  exponentialSchedule,
  cosineSchedule,
  plateauSchedule,
]);

/** `train.early_stopping`: stop when `monitor` has not improved by `min_delta` for `patience` epochs. */
export const earlyStoppingSchema = z.strictObject({
  monitor: z.enum(MONITORS).default("val_loss"),
  patience: z.int().positive().default(5),
  min_delta: z.number().min(0).default(0),
});

/**
 * `train:` — optimizer, learning rate and its schedule, batch size, epochs, regularization and the
 * health checks. Defaults: Adam, lr 0.001, batch 64, 10 epochs, no schedule, no early stopping.
 */
export const trainOptionsSchema = z.strictObject({
  optimizer: z.enum(["sgd", "adam", "adamw"]).default("adam"),
  lr: positive.default(0.001),
  /** SGD only; 0 is plain SGD as in PyTorch. */
  momentum: z.number().min(0).lt(1).default(0),
  /** SGD only; needs momentum > 0. */
  nesterov: z.boolean().default(false),
  /** Adam / AdamW moment decay rates. */
  betas: z.tuple([fraction, fraction]).default([0.9, 0.999]),
  eps: positive.default(1e-8),
  /** L2 added to the gradient for sgd / adam; decoupled (lr × wd × w) for adamw, as in PyTorch. */
  weight_decay: z.number().min(0).default(0),
  batch_size: z.int().positive().default(64),
  epochs: z.int().positive().default(10),
  schedule: scheduleSchema.prefault({ type: "none" }),
  early_stopping: earlyStoppingSchema.nullable().default(null),
  /** Weight of the uniform distribution mixed into the one-hot targets (0 = none). */
  label_smoothing: fraction.default(0),
  /** Clip the global gradient norm to this value; null = no clipping. */
  clip_norm: positive.nullable().default(null),
  /** Flag `stuck-at-chance` after this many consecutive epochs with val top-1 < 1.5 / classes. */
  chance_patience: z.int().positive().default(3),
}).refine((t) => !t.nesterov || (t.optimizer === "sgd" && t.momentum > 0), {
  error: (issue) => {
    const t = issue.input as { optimizer: string; momentum: number };
    return `nesterov needs optimizer 'sgd' with momentum > 0: current optimizer is ` +
      `'${t.optimizer}', momentum ${t.momentum ?? 0}`;
  },
  path: ["nesterov"],
});

/** `evaluate:` — how the test set is run through the trained model. */
export const evaluateOptionsSchema = z.strictObject({
  /** Inference batch size; larger is faster and changes no number. */
  batch_size: z.int().positive().default(256),
});

/** Resolved `train:` options (defaults applied). */
export type TrainOptions = z.output<typeof trainOptionsSchema>;
/** `train:` as written in a config (every key optional). */
export type TrainOptionsInput = z.input<typeof trainOptionsSchema>;
/** Resolved `train.schedule`. */
export type ScheduleOptions = z.output<typeof scheduleSchema>;
/** Resolved `train.early_stopping`. */
export type EarlyStoppingOptions = z.output<typeof earlyStoppingSchema>;
/** Resolved `evaluate:` options. */
export type EvaluateOptions = z.output<typeof evaluateOptionsSchema>;

/** True for monitors that improve downwards (losses). */
export function isLossMonitor(monitor: Monitor): boolean {
  return (LOSS_MONITORS as readonly string[]).includes(monitor);
}
