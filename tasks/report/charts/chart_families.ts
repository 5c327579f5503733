/**
 * Splits the seed groups of a report into the panels an overview chart draws: one panel per
 * sweep (its points labelled by their swept values) and one for the runs of no sweep, so that a
 * 9-point sweep is a panel of its own instead of a tangle among the other models.
 * @module
 */
import { formatSweepValue } from "../ablation_groups.ts";
import { canonicalJson, type SeedGroup } from "../group_by_seed.ts";
import type { ReportData } from "../report_data.ts";

/** One panel: a title and its seed groups, each with the label its line carries. */
export interface ChartFamily {
  title: string;
  members: { group: SeedGroup; label: string }[];
}

/**
 * The panels of an overview chart: a single one holding every group while there are at most
 * `maxLines` groups (or no sweep), else one per sweep in order of first appearance.
 */
export function chartFamilies(data: ReportData, maxLines: number): ChartFamily[] {
  const all: ChartFamily = {
    title: "",
    members: data.seedGroups.map((group) => ({ group, label: group.label })),
  };
  const families = new Map<string, ChartFamily>();
  for (const group of data.seedGroups) {
    const run = group.results[0].run;
    const key = run.sweep ? canonicalJson([run.experiment, run.sweep.name]) : "";
    let family = families.get(key);
    if (!family) {
      const keys = run.sweep ? Object.keys(run.sweep.values) : [];
      family = {
        title: run.sweep
          ? `${run.sweep.name} (${run.experiment}): ${keys.join(", ")}`
          : "runs outside any sweep",
        members: [],
      };
      families.set(key, family);
    }
    family.members.push({
      group,
      label: run.sweep ? pointLabel(run.sweep.values) : group.label,
    });
  }
  if (data.seedGroups.length <= maxLines || families.size <= 1) return [all];
  return [...families.values()];
}

function pointLabel(values: Record<string, unknown>): string {
  const parts = Object.values(values).map(formatSweepValue);
  return parts.length === 1 ? parts[0] : `(${parts.join(", ")})`;
}
