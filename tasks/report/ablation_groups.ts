/**
 * Gathers the runs of each sweep into an ablation: one point per swept value, its seeds together.
 * @module
 */
import { canonicalJson } from "./group_by_seed.ts";
import type { RunResult } from "./load_run_results.ts";

/** One swept value (e.g. dropout pair (0.2, 0.5)) and the runs (seeds) that used it. */
export interface AblationPoint {
  /** Dotted key → value, e.g. `{ "model.conv_dropout": 0.2, "model.fc_dropout": 0.5 }`. */
  values: Record<string, unknown>;
  /** "(0.2, 0.5)" for several keys, "0.2" for one. */
  label: string;
  results: RunResult[];
}

/** All points of one sweep block within one experiment. */
export interface AblationGroup {
  /** File-name-safe id, e.g. "cnn-dropout". */
  id: string;
  experiment: string;
  sweep: string;
  /** The swept dotted keys, in the order they first appear. */
  keys: string[];
  points: AblationPoint[];
}

/**
 * Groups swept runs by (experiment, sweep name), then by swept values.
 * @returns groups in order of their first run; runs without a sweep are not in any group
 */
export function ablationGroups(results: readonly RunResult[]): AblationGroup[] {
  const groups = new Map<string, AblationGroup>();
  for (const result of results) {
    const sweep = result.run.sweep;
    if (!sweep) continue;
    const groupKey = canonicalJson([result.run.experiment, sweep.name]);
    let group = groups.get(groupKey);
    if (!group) {
      group = {
        id: slug(`${result.run.experiment}-${sweep.name}`),
        experiment: result.run.experiment,
        sweep: sweep.name,
        keys: [],
        points: [],
      };
      groups.set(groupKey, group);
    }
    for (const key of Object.keys(sweep.values)) {
      if (!group.keys.includes(key)) group.keys.push(key);
    }
    const pointKey = canonicalJson(sweep.values);
    const point = group.points.find((p) => canonicalJson(p.values) === pointKey);
    if (point) point.results.push(result);
    else {
      group.points.push({
        values: sweep.values,
        label: pointLabel(sweep.values),
        results: [result],
      });
    }
  }
  const list = [...groups.values()];
  uniquifyIds(list);
  return list;
}

/** Formats a swept value for a table cell: arrays as "[a, b]", objects as compact JSON. */
export function formatSweepValue(value: unknown): string {
  if (value === undefined) return "—";
  if (Array.isArray(value)) return `[${value.map(formatSweepValue).join(", ")}]`;
  if (value !== null && typeof value === "object") return canonicalJson(value);
  return String(value);
}

function pointLabel(values: Record<string, unknown>): string {
  const parts = Object.values(values).map(formatSweepValue);
  return parts.length === 1 ? parts[0] : `(${parts.join(", ")})`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "sweep";
}

function uniquifyIds(groups: AblationGroup[]): void {
  const seen = new Map<string, number>();
  for (const group of groups) {
    const count = seen.get(group.id) ?? 0;
    seen.set(group.id, count + 1);
    if (count > 0) group.id = `${group.id}-${count + 1}`;
  }
}
