/**
 * Test metrics of a set of runs (the seeds of one config) as mean ± std.
 * @module
 */
import type { RunResult } from "./load_run_results.ts";
import { type MeanStd, meanStd } from "./mean_std.ts";

/** Mean ± std of the test metrics and training cost over some runs. */
export interface GroupStats {
  top1: MeanStd;
  top5: MeanStd;
  loss: MeanStd;
  seconds: MeanStd;
  epochs: MeanStd;
}

/** Computes {@linkcode GroupStats}; non-finite values (diverged seeds) are left out. */
export function groupStats(results: readonly RunResult[]): GroupStats {
  return {
    top1: meanStd(results.map((r) => r.metrics.top1)),
    top5: meanStd(results.map((r) => r.metrics.top5)),
    loss: meanStd(results.map((r) => r.metrics.loss)),
    seconds: meanStd(results.map((r) => r.train.seconds)),
    epochs: meanStd(results.map((r) => r.train.epochs)),
  };
}
