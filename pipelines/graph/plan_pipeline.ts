import { ConfigError } from "../config/config_error.ts";
import { loadConfig } from "../config/load_config.ts";
import type { Json, PlanContext, Project, ResolvedConfig } from "../types.ts";
import { buildStageGraph } from "./stage_graph.ts";
import type { PlannedStage } from "./stage_graph.ts";

/** Configs resolved and their combined stage graph. */
export interface PipelinePlan<R = Json, F extends Json = Json> {
  configs: ResolvedConfig<R, F>[];
  /** Every stage of every config, identical stages merged, inputs before users. */
  stages: PlannedStage[];
}

/**
 * Loads each config, asks the project for runtime facts and its stage nodes, and builds one
 * graph (a stage shared by several configs appears once).
 * @throws {ConfigError} for bad configs; whatever the planner throws.
 */
export async function planPipeline<R, F extends Json>(
  project: Project<R, F>,
  files: readonly string[],
  context: PlanContext,
): Promise<PipelinePlan<R, F>> {
  const configs: ResolvedConfig<R, F>[] = [];
  for (const file of files) {
    const loaded = loadConfig(file, project);
    const twin = configs.find((c) => c.name === loaded.name);
    if (twin?.path === loaded.path) continue;
    if (twin !== undefined) {
      // The name keys its report folder and its stage ids: two configs cannot share it.
      throw new ConfigError(
        `Cannot plan ${twin.path} and ${loaded.path} together as both are named '${loaded.name}' (their reports would overwrite each other): give one of them its own 'name:'`,
      );
    }
    configs.push({ ...loaded, runtime: await project.runtimeFacts(loaded.runs) });
  }
  const groups = [];
  for (const config of configs) {
    groups.push({ config: config.name, nodes: await project.plan(config, context) });
  }
  const runNames = new Set(configs.flatMap((c) => c.runs.map((r) => r.name)));
  return { configs, stages: await buildStageGraph(groups, { runNames }) };
}
