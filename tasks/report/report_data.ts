/**
 * What every section of the report needs, computed once: flags, seed groups, ablations, best run.
 * @module
 */
import { type AblationGroup, ablationGroups } from "./ablation_groups.ts";
import type { FormatMetricOptions } from "./format_metric.ts";
import { groupBySeed, type SeedGroup } from "./group_by_seed.ts";
import type { RunResult } from "./load_run_results.ts";
import { rankRuns } from "./rank_runs.ts";
import type { ReportParams } from "./report_params.ts";
import { type RunFlag, runFlags } from "./run_flags.ts";

/** The report's inputs, analysed. */
export interface ReportData {
  params: ReportParams;
  /** All runs in config order. */
  results: RunResult[];
  flags: Map<RunResult, RunFlag[]>;
  seedGroups: SeedGroup[];
  ablations: AblationGroup[];
  /** Best run by `options.rank_by` among runs not diverged or stuck; null if none qualifies. */
  best: RunResult | null;
  format: FormatMetricOptions;
}

/** Computes flags, groups and the best run. */
export function prepareReportData(params: ReportParams, results: RunResult[]): ReportData {
  const options = params.options;
  const flags = new Map(
    results.map((r) => [r, runFlags(r, { stuckFactor: options.stuck_factor })] as const),
  );
  const healthy = results.filter((r) =>
    !flags.get(r)!.some((f) => f.kind === "diverged" || f.kind === "stuck")
  );
  return {
    params,
    results,
    flags,
    seedGroups: groupBySeed(results),
    ablations: ablationGroups(results),
    best: rankRuns(healthy, options.rank_by)[0] ?? null,
    format: { accuracy: options.accuracy, decimals: options.decimals },
  };
}
