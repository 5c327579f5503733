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
  /** The colour legend's title: "run", or the swept keys the labels show. */
  legend: string;
  members: { group: SeedGroup; label: string }[];
}

/**
 * The panels of an overview chart: a single one holding every group while there are at most
 * `maxLines` groups (or no sweep), else one per sweep in order of first appearance.
 */
export function chartFamilies(data: ReportData, maxLines: number): ChartFamily[] {
  const all: ChartFamily = {
    title: "",
    legend: "run",
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
        legend: run.sweep ? keys.join(", ") : "run",
        members: [],
      };
      families.set(key, family);
    }
    family.members.push({
      group,
      label: run.sweep ? pointLabel(run.sweep.values) : group.label,
    });
  }
  if (data.seedGroups.length <= maxLines) return [all];
  const list = [...families.values()].flatMap((f) => splitGrid(f, maxLines));
  return list.length <= 1 ? [all] : list;
}

/**
 * A sweep over several keys with more than `maxLines` points becomes one panel per value of
 * its first key, the lines labelled by the other keys.
 */
function splitGrid(family: ChartFamily, maxLines: number): ChartFamily[] {
  const sweep = family.members[0]?.group.results[0].run.sweep;
  const keys = sweep ? Object.keys(sweep.values) : [];
  if (family.members.length <= maxLines || keys.length < 2) return [family];
  const panels = new Map<string, ChartFamily>();
  for (const member of family.members) {
    const values = member.group.results[0].run.sweep!.values;
    const first = `${keys[0]}=${formatSweepValue(values[keys[0]])}`;
    const panel = panels.get(first) ?? {
      title: `${family.title.split(":")[0]}: ${first}`,
      legend: keys.slice(1).join(", "),
      members: [],
    };
    panels.set(first, panel);
    const rest = Object.fromEntries(keys.slice(1).map((k) => [k, values[k]]));
    panel.members.push({ group: member.group, label: pointLabel(rest) });
  }
  return [...panels.values()];
}

function pointLabel(values: Record<string, unknown>): string {
  const parts = Object.values(values).map(formatSweepValue);
  return parts.length === 1 ? parts[0] : `(${parts.join(", ")})`;
}
