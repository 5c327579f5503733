/**
 * Metrics of a set of runs (the seeds of one config, or one ablation point) as mean ± std.
 * @module
 */
import type { RunResult } from "./load_run_results.ts";
import { type MeanStd, meanStd } from "./mean_std.ts";

/** Mean ± std of the accuracy metrics and training cost over some runs. */
export interface GroupStats {
  top1: MeanStd;
  top5: MeanStd;
  loss: MeanStd;
  seconds: MeanStd;
  epochs: MeanStd;
}

/**
 * Where accuracy metrics come from: the test set (evaluate stage), or the validation split at
 * each run's best epoch by validation top-1 (what lab report 002 tabulates).
 */
export type MetricSource = "test" | "best_val";

/**
 * Computes {@linkcode GroupStats}; non-finite values (diverged seeds) are left out.
 * @param source test metrics (default) or validation metrics at the best epoch
 */
export function groupStats(
  results: readonly RunResult[],
  source: MetricSource = "test",
): GroupStats {
  const metrics = results.map((r) => (source === "test" ? r.metrics : bestValidation(r)));
  return {
    top1: meanStd(metrics.map((m) => m.top1)),
    top5: meanStd(metrics.map((m) => m.top5)),
    loss: meanStd(metrics.map((m) => m.loss)),
    seconds: meanStd(results.map((r) => r.train.seconds)),
    epochs: meanStd(results.map((r) => r.train.epochs)),
  };
}

/** Validation loss, top-1 and top-5 at the epoch with the best validation top-1 (first if tied). */
export function bestValidation(
  result: RunResult,
): { epoch: number | null; loss: number | null; top1: number | null; top5: number | null } {
  let best: RunResult["history"][number] | null = null;
  for (const e of result.history) {
    if (e.val_top1 === null || !Number.isFinite(e.val_top1)) continue;
    if (best === null || e.val_top1 > best.val_top1!) best = e;
  }
  return best
    ? { epoch: best.epoch, loss: best.val_loss, top1: best.val_top1, top5: best.val_top5 }
    : { epoch: null, loss: null, top1: null, top5: null };
}
