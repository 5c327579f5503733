/**
 * Groups runs that differ only by their seed, so the report can show mean ± std.
 * @module
 */
import type { RunResult } from "./load_run_results.ts";

/** Runs whose params are identical apart from `seed`. */
export interface SeedGroup {
  /** The run name without its `seed=N` part, or the experiment name. */
  label: string;
  results: RunResult[];
}

/**
 * Groups runs whose params, experiment and sweep point are equal once `seed` is removed.
 * @returns groups in order of their first run; a run with a unique config is a group of one
 */
export function groupBySeed(results: readonly RunResult[]): SeedGroup[] {
  const groups = new Map<string, SeedGroup>();
  for (const result of results) {
    const { seed: _seed, ...params } = result.run.params;
    const key = canonicalJson({
      experiment: result.run.experiment,
      sweep: result.run.sweep ?? null,
      params,
    });
    const group = groups.get(key);
    if (group) group.results.push(result);
    else groups.set(key, { label: labelWithoutSeed(result), results: [result] });
  }
  return [...groups.values()];
}

function labelWithoutSeed(result: RunResult): string {
  const stripped = result.run.name.replace(/(^|[-_,. ])seed=[^-_,. ]*/g, "").replace(
    /^[-_,. ]+/,
    "",
  );
  return stripped.length > 0 ? stripped : result.run.experiment;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
