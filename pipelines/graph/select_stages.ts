import { ConfigError } from "../config/config_error.ts";
import { globToRegExp } from "./glob.ts";
import type { PlannedStage } from "./stage_graph.ts";

/**
 * Keeps the stages that belong to a run matching `runGlobs` (one glob, or several separated by
 * commas: `lenet,res*`), plus everything they need.
 * @returns the selection, in the original (topological) order.
 * @throws {ConfigError} when one of the globs matches no run (a typo must not shrink the run).
 */
export function selectStagesForRuns(
  stages: readonly PlannedStage[],
  runGlobs: string,
): PlannedStage[] {
  const keep = new Set<PlannedStage>();
  const add = (stage: PlannedStage) => {
    if (keep.has(stage)) return;
    keep.add(stage);
    Object.values(stage.inputs).forEach(add);
  };
  for (const runGlob of runGlobs.split(",").map((g) => g.trim())) {
    const pattern = globToRegExp(runGlob);
    const matching = stages.filter((s) => s.runs.some((r) => pattern.test(r)));
    if (runGlob === "" || matching.length === 0) {
      const runs = [...new Set(stages.flatMap((s) => s.runs))];
      const shown = runs.slice(0, 8).map((r) => `'${r}'`).join(", ") +
        (runs.length > 8 ? ", …" : "");
      throw new ConfigError(
        `Cannot select runs as --only '${runGlob}' matches no run: the runs are ${shown || "none"}`,
      );
    }
    matching.forEach(add);
  }
  return stages.filter((s) => keep.has(s));
}

/**
 * A predicate for `--force GLOB`: true for stages whose id (any of them) or run name matches.
 * @throws {ConfigError} when the glob matches no stage.
 */
export function forcedStages(
  stages: readonly PlannedStage[],
  glob: string,
): (stage: PlannedStage) => boolean {
  const pattern = globToRegExp(glob);
  const matches = (s: PlannedStage) =>
    s.ids.some((id) => pattern.test(id)) || s.runs.some((r) => pattern.test(r));
  if (!stages.some(matches)) {
    throw new ConfigError(
      `Cannot force stages as --force '${glob}' matches no stage id or run name: e.g. '${
        stages[0]?.id ?? "train:*"
      }'`,
    );
  }
  return matches;
}
