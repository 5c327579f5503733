/**
 * Early stopping on a monitored per-epoch metric.
 * @module
 */
import { type EarlyStoppingOptions, isLossMonitor } from "./train_options.ts";
import type { MonitoredMetrics } from "./lr_scheduler.ts";

/** What a checkpoint keeps of early stopping; plain JSON. */
export interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number | null;
  badEpochs: number;
}

/**
 * Counts epochs without an improvement of more than `min_delta` on `monitor` (down for losses,
 * up for accuracies) and says when `patience` is used up.
 */
export class EarlyStopping {
  #state: EarlyStoppingState = { best: null, bestEpoch: null, badEpochs: 0 };
  readonly #options: EarlyStoppingOptions;

  constructor(options: EarlyStoppingOptions) {
    this.#options = options;
  }

  /**
   * Records epoch `epoch`'s metrics.
   * @returns true when training should stop now
   */
  endEpoch(epoch: number, metrics: MonitoredMetrics): boolean {
    const { monitor, min_delta, patience } = this.#options;
    const value = metrics[monitor];
    if (value === null || value === undefined || !Number.isFinite(value)) return false;
    const best = this.#state.best;
    const improved = best === null ||
      (isLossMonitor(monitor) ? value < best - min_delta : value > best + min_delta);
    if (improved) this.#state = { best: value, bestEpoch: epoch, badEpochs: 0 };
    else this.#state = { ...this.#state, badEpochs: this.#state.badEpochs + 1 };
    return this.#state.badEpochs >= patience;
  }

  /** Serializable state for a checkpoint (also: the best epoch so far). */
  state(): EarlyStoppingState {
    return { ...this.#state };
  }

  /** Restores what {@link state} returned. */
  restore(state: EarlyStoppingState): void {
    this.#state = { ...state };
  }
}
