/**
 * Orders runs by the report's ranking metric.
 * @module
 */
import type { RunResult } from "./load_run_results.ts";
import type { RankMetric } from "./report_options.ts";

/** Human names of the ranking metrics. */
export const rankMetricLabels: Record<RankMetric, string> = {
  test_top1: "test top-1",
  test_top5: "test top-5",
  test_loss: "test loss",
  val_top1: "best validation top-1",
};

/**
 * The value a run is ranked by: test top-1/top-5/loss, or the best validation top-1 over epochs.
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
    case "val_top1": {
      const values = result.history.map((e) => finite(e.val_top1)).filter((v) => v !== null);
      return values.length > 0 ? Math.max(...values) : null;
    }
  }
}

/** Whether a smaller value of the metric is better. */
export function lowerIsBetter(metric: RankMetric): boolean {
  return metric === "test_loss";
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
