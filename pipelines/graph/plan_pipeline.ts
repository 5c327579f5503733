import { loadConfig } from "../config/load_config.ts";
import { buildStageGraph } from "./stage_graph.ts";
import type { PlannedStage } from "./stage_graph.ts";
import type { Project, ResolvedConfig } from "../types.ts";

/** Configs resolved and their combined stage graph. */
export interface PipelinePlan {
  configs: ResolvedConfig[];
  /** Every stage of every config, deduplicated by fingerprint, inputs before users. */
  stages: PlannedStage[];
}

/**
 * Loads each config, asks the project for runtime facts and its stage nodes, and builds one
 * graph (a stage shared by several configs appears once).
 * @throws {ConfigError} for bad configs; whatever the planner throws.
 */
export async function planPipeline(
  project: Project,
  files: readonly string[],
): Promise<PipelinePlan> {
  const configs: ResolvedConfig[] = [];
  for (const file of files) {
    const loaded = loadConfig(file, project);
    configs.push({ ...loaded, runtime: await project.runtimeFacts(loaded.runs) });
  }
  const nodes = configs.flatMap((c) => project.plan(c));
  const runNames = new Set(configs.flatMap((c) => c.runs.map((r) => r.name)));
  return { configs, stages: await buildStageGraph(nodes, { runNames }) };
}
