/**
 * What every section of the report needs, computed once: flags, seed groups, ablations, the
 * selected configuration and its run.
 * @module
 */
import { type AblationGroup, ablationGroups } from "./ablation_groups.ts";
import type { FormatMetricOptions } from "./format_metric.ts";
import { groupBySeed, type SeedGroup } from "./group_by_seed.ts";
import type { RunResult } from "./load_run_results.ts";
import type { ReportParams } from "./report_params.ts";
import { type RunFlag, runFlags } from "./run_flags.ts";
import { selectBest, type Selection } from "./select_best.ts";
import type { TestImages } from "./test_images.ts";

/** The report's inputs, analysed. */
export interface ReportData {
  params: ReportParams;
  /** All runs in config order. */
  results: RunResult[];
  flags: Map<RunResult, RunFlag[]>;
  seedGroups: SeedGroup[];
  ablations: AblationGroup[];
  /** The configuration selected by `options.rank_by`, and how sure that choice is. */
  selection: Selection;
  /** The selected configuration's best seed by `options.rank_by`; null if no run is healthy. */
  best: RunResult | null;
  format: FormatMetricOptions;
  /** Test images to show, read by writeReport (absent: no images section). */
  images?: TestImages;
}

/** Computes flags, groups and the selection. */
export function prepareReportData(params: ReportParams, results: RunResult[]): ReportData {
  const options = params.options;
  const flags = new Map(
    results.map((r) => [r, runFlags(r, { stuckFactor: options.stuck_factor })] as const),
  );
  const seedGroups = groupBySeed(results);
  const selection = selectBest(seedGroups, flags, options.rank_by);
  return {
    params,
    results,
    flags,
    seedGroups,
    ablations: ablationGroups(results),
    selection,
    best: selection.run,
    format: { accuracy: options.accuracy, decimals: options.decimals },
  };
}
