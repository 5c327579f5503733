/**
 * Time estimates of the stages that will run: the project's own (`Project.estimate`), else the
 * last run of a stage with the same kind and params, else with the same id.
 * @module
 */
import type { CacheLayout } from "../cache/cache_layout.ts";
import { canonicalJson } from "../hashing/canonical_json.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import type { Json, MeasuredStage, Project, StageEstimate } from "../types.ts";
import { measuredStages } from "./measured_stages.ts";

/** Estimates by stage; a stage without one is absent. */
export type Estimates = Map<PlannedStage, StageEstimate>;

/**
 * Estimates each stage's wall time. The project's hook is asked first; errors in it are not
 * fatal (an estimate is advice): the stage falls back to the engine's rule.
 * @param warn receives one line per hook failure.
 */
export async function estimateStages<R, F extends Json>(
  project: Project<R, F>,
  stages: readonly PlannedStage[],
  layout: CacheLayout,
  warn: (line: string) => void = () => {},
): Promise<Estimates> {
  const measured = measuredStages(layout);
  const context = { cacheDir: layout.root, measured };
  const estimates: Estimates = new Map();
  // The newest past stage of each kind and params, canonicalized once per stage, not per lookup.
  const pastByParams = new Map<string, Map<string, MeasuredStage>>();
  const byParams = async (kind: string) => {
    let map = pastByParams.get(kind);
    if (!map) {
      map = new Map();
      for (const m of await measured(kind)) {
        const key = canonicalJson(m.params);
        if (!map.has(key)) map.set(key, m);
      }
      pastByParams.set(kind, map);
    }
    return map;
  };
  for (const stage of stages) {
    let estimate: StageEstimate | undefined;
    if (project.estimate) {
      try {
        estimate = await project.estimate(stage.node, context);
      } catch (error) {
        warn(`Cannot estimate ${stage.id}: ${(error as Error).message}`);
      }
    }
    if (estimate === undefined) {
      const past = await measured(stage.kind);
      if (past.length > 0) {
        const same = (await byParams(stage.kind)).get(canonicalJson(stage.params)) ??
          past.find((m) => stage.ids.includes(m.id));
        if (same) estimate = { seconds: same.seconds, basis: `last run of ${same.id}` };
      }
    }
    if (estimate !== undefined && Number.isFinite(estimate.seconds) && estimate.seconds >= 0) {
      estimates.set(stage, estimate);
    }
  }
  return estimates;
}

/** Sum of the estimates of `stages` and how many had none. */
export function totalEstimate(
  stages: readonly PlannedStage[],
  estimates: Estimates,
): { seconds: number; unknown: number } {
  let seconds = 0;
  let unknown = 0;
  for (const stage of stages) {
    const estimate = estimates.get(stage);
    if (estimate === undefined) unknown++;
    else seconds += estimate.seconds;
  }
  return { seconds, unknown };
}
