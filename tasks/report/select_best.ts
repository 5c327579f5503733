/**
 * Picks the configuration the report calls best — on validation by default, never silently on
 * the test set — and says whether it beats the runner-up by more than seed noise.
 * @module
 */
import type { SeedGroup } from "./group_by_seed.ts";
import type { RunResult } from "./load_run_results.ts";
import { meanStd } from "./mean_std.ts";
import { lowerIsBetter, rankValue } from "./rank_runs.ts";
import type { RankMetric } from "./report_options.ts";
import type { RunFlag } from "./run_flags.ts";
import { type WelchResult, welchTTest } from "./stats/welch_t_test.ts";

/** Significance level of the winner test. */
export const ALPHA = 0.05;

/** How the selected configuration compares with the runner-up on test top-1. */
export type Verdict =
  /** No other healthy configuration to compare with. */
  | { kind: "alone" }
  /** One of the two has fewer than two seeds: no variance, no test. */
  | { kind: "untestable"; runnerUp: SeedGroup }
  /** Welch's t-test on the seeds' test top-1, two-sided, at {@linkcode ALPHA}. */
  | { kind: "significant" | "not-significant"; runnerUp: SeedGroup; test: WelchResult };

/** The selected configuration, its representative run and the verdict. */
export interface Selection {
  metric: RankMetric;
  /** The seed group with the best mean of `metric`; null when no run is healthy. */
  group: SeedGroup | null;
  /** Its seed with the best `metric` (confusion matrix, per-class table, image samples). */
  run: RunResult | null;
  verdict: Verdict;
}

/**
 * Ranks healthy seed groups (not every seed diverged or stuck) by the mean of `metric` over
 * their non-diverged seeds, selects the first, and compares its seeds' test top-1 with the
 * runner-up's (second by `metric`) with Welch's t-test.
 */
export function selectBest(
  groups: readonly SeedGroup[],
  flags: ReadonlyMap<RunResult, RunFlag[]>,
  metric: RankMetric,
): Selection {
  const has = (r: RunResult, kinds: string[]) =>
    flags.get(r)?.some((f) => kinds.includes(f.kind)) ?? false;
  const ranked = groups
    .map((group, index) => {
      const seeds = group.results.filter((r) => !has(r, ["diverged"]));
      const healthy = seeds.some((r) => !has(r, ["stuck"]));
      const value = meanStd(seeds.map((r) => rankValue(r, metric))).mean;
      return { group, index, seeds, healthy, value };
    })
    .filter((g) => g.healthy && Number.isFinite(g.value))
    .sort((a, b) =>
      (lowerIsBetter(metric) ? a.value - b.value : b.value - a.value) || a.index - b.index
    );
  if (ranked.length === 0) return { metric, group: null, run: null, verdict: { kind: "alone" } };
  const [first, second] = ranked;
  const sign = lowerIsBetter(metric) ? 1 : -1;
  const run = first.seeds
    .map((r, i) => ({ r, i, v: rankValue(r, metric) }))
    .filter((s) => s.v !== null)
    .sort((a, b) => sign * (a.v! - b.v!) || a.i - b.i)[0].r;
  if (!second) return { metric, group: first.group, run, verdict: { kind: "alone" } };
  const test = welchTTest(
    first.seeds.map((r) => r.metrics.top1),
    second.seeds.map((r) => r.metrics.top1),
  );
  if (!test) {
    return {
      metric,
      group: first.group,
      run,
      verdict: { kind: "untestable", runnerUp: second.group },
    };
  }
  // Significant only when the selected configuration is the one ahead on the test set.
  const kind = test.p < ALPHA && test.t > 0 ? "significant" : "not-significant";
  return { metric, group: first.group, run, verdict: { kind, runnerUp: second.group, test } };
}
