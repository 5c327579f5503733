/**
 * Learning-rate schedules, stepped once per epoch as PyTorch's `scheduler.step()`.
 * @module
 */
import type { ScheduleOptions } from "./train_options.ts";

/** Metrics of a finished epoch that a plateau schedule may watch (null: not measured). */
export type MonitoredMetrics = Readonly<Record<string, number | null>>;

/** What a checkpoint keeps of a schedule; plain JSON. */
export interface LrSchedulerState {
  lr: number;
  best: number | null;
  badEpochs: number;
}

/** Options of {@link LrScheduler}. */
export interface LrSchedulerOptions {
  /** The initial learning rate (`train.lr`). */
  baseLr: number;
  /** Total epochs; the default `t_max` of a cosine schedule. */
  epochs: number;
}

/**
 * The learning rate of each epoch. Closed-form schedules (step, exponential, cosine) depend only
 * on the epoch index; plateau depends on the metrics seen so far, kept in {@link state}.
 */
export class LrScheduler {
  #lr: number;
  #best: number | null = null;
  #badEpochs = 0;
  readonly #schedule: ScheduleOptions;
  readonly #options: LrSchedulerOptions;

  constructor(schedule: ScheduleOptions, options: LrSchedulerOptions) {
    this.#schedule = schedule;
    this.#options = options;
    this.#lr = options.baseLr;
  }

  /** The learning rate for the epoch with this 0-based index. */
  lrFor(epochIndex: number): number {
    const s = this.#schedule;
    const base = this.#options.baseLr;
    switch (s.type) {
      case "none":
        return base;
      case "step":
        return base * s.gamma ** Math.floor(epochIndex / s.step_size);
      case "exponential":
        return base * s.gamma ** epochIndex;
      case "cosine": {
        const tMax = s.t_max ?? this.#options.epochs;
        return s.eta_min + (base - s.eta_min) * (1 + Math.cos(Math.PI * epochIndex / tMax)) / 2;
      }
      case "plateau":
        return this.#lr;
    }
  }

  /**
   * Records a finished epoch's metrics; for plateau, lowers the rate by `factor` (not below
   * `min_lr`) after more than `patience` epochs without a relative improvement of `threshold`.
   */
  endEpoch(metrics: MonitoredMetrics): void {
    const s = this.#schedule;
    if (s.type !== "plateau") return;
    const value = metrics[s.monitor];
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    const better = this.#best === null ||
      (s.mode === "min"
        ? value < this.#best * (1 - s.threshold)
        : value > this.#best * (1 + s.threshold));
    if (better) {
      this.#best = value;
      this.#badEpochs = 0;
      return;
    }
    this.#badEpochs++;
    if (this.#badEpochs > s.patience) {
      const next = Math.max(this.#lr * s.factor, s.min_lr);
      // PyTorch ignores reductions smaller than eps = 1e-8.
      if (this.#lr - next > 1e-8) this.#lr = next;
      this.#badEpochs = 0;
    }
  }

  /** Serializable state for a checkpoint. */
  state(): LrSchedulerState {
    return { lr: this.#lr, best: this.#best, badEpochs: this.#badEpochs };
  }

  /** Restores what {@link state} returned. */
  restore(state: LrSchedulerState): void {
    this.#lr = state.lr;
    this.#best = state.best;
    this.#badEpochs = state.badEpochs;
  }
}
