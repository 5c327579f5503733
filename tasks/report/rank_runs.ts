/**
 * Orders runs by the report's ranking metric.
 * @module
 */
import type { RunResult } from "./load_run_results.ts";
import type { RankMetric } from "./report_options.ts";

/** Human names of the ranking metrics. */
export const rankMetricLabels: Record<RankMetric, string> = {
  val_top1: "validation top-1 (last epoch)",
  val_loss: "validation loss (last epoch)",
  test_top1: "test top-1",
  test_top5: "test top-5",
  test_loss: "test loss",
};

/**
 * The value a run is ranked by: test top-1/top-5/loss, or validation top-1/loss of the last
 * epoch — the weights the evaluate stage tested, so selecting on it never peeks at the test set.
 * @returns null when the run has no finite value for that metric
 */
export function rankValue(result: RunResult, metric: RankMetric): number | null {
  const finite = (v: number | null | undefined) =>
    typeof v === "number" && Number.isFinite(v) ? v : null;
  switch (metric) {
    case "test_top1":
      return finite(result.metrics.top1);
    case "test_top5":
      return finite(result.metrics.top5);
    case "test_loss":
      return finite(result.metrics.loss);
    case "val_top1":
      return finite(result.history.at(-1)?.val_top1);
    case "val_loss":
      return finite(result.history.at(-1)?.val_loss);
  }
}

/** Whether a smaller value of the metric is better. */
export function lowerIsBetter(metric: RankMetric): boolean {
  return metric === "test_loss" || metric === "val_loss";
}

/**
 * Sorts runs best first; runs without a value go last, ties keep their order.
 * @returns a new array
 */
export function rankRuns(results: readonly RunResult[], metric: RankMetric): RunResult[] {
  const sign = lowerIsBetter(metric) ? 1 : -1;
  return results
    .map((result, index) => ({ result, index, value: rankValue(result, metric) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || a.index - b.index;
      }
      return sign * (a.value - b.value) || a.index - b.index;
    })
    .map((r) => r.result);
}
