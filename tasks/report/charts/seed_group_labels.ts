/**
 * Maps each run to the label of its seed group (charts colour seeds of one config alike).
 * @module
 */
import type { RunResult } from "../load_run_results.ts";
import type { ReportData } from "../report_data.ts";

/** Run → label of the seed group it belongs to. */
export function seedGroupLabels(data: ReportData): Map<RunResult, string> {
  const labels = new Map<RunResult, string>();
  for (const group of data.seedGroups) {
    for (const result of group.results) labels.set(result, group.label);
  }
  return labels;
}
