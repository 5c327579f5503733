import { ConfigError } from "../config/config_error.ts";
import { loadConfig } from "../config/load_config.ts";
import type { LoadConfigOptions } from "../config/load_config.ts";
import type { Json, PlanContext, Project, ResolvedConfig } from "../types.ts";
import { buildStageGraph } from "./stage_graph.ts";
import type { PlannedStage } from "./stage_graph.ts";

/** Configs resolved and their combined stage graph. */
export interface PipelinePlan<R = Json, F extends Json = Json> {
  configs: ResolvedConfig<R, F>[];
  /** Every stage of every config, identical stages merged, inputs before users. */
  stages: PlannedStage[];
}

/** Options of {@linkcode planPipeline}. */
export interface PlanPipelineOptions extends LoadConfigOptions {
  /**
   * Called once every config has loaded and validated, before the project computes runtime facts
   * or plans (which may write to the cache): a bad config is reported before anything is touched.
   */
  afterLoad?: () => Promise<void>;
}

/**
 * Loads each config, asks the project for runtime facts and its stage nodes, and builds one
 * graph (a stage shared by several configs appears once). `options.overrides` (command-line
 * `key=value`) apply to every config.
 * @throws {ConfigError} for bad configs; whatever `afterLoad` or the planner throws.
 */
export async function planPipeline<R, F extends Json>(
  project: Project<R, F>,
  files: readonly string[],
  context: PlanContext,
  options: PlanPipelineOptions = {},
): Promise<PipelinePlan<R, F>> {
  const loaded: Omit<ResolvedConfig<R, F>, "runtime">[] = [];
  for (const file of files) {
    const config = loadConfig(file, project, options);
    const twin = loaded.find((c) => c.name === config.name);
    if (twin?.path === config.path) continue;
    if (twin !== undefined) {
      // The name keys its report folder and its stage ids: two configs cannot share it.
      throw new ConfigError(
        `Cannot plan ${twin.path} and ${config.path} together as both are named '${config.name}' (their reports would overwrite each other): give one of them its own 'name:'`,
      );
    }
    loaded.push(config);
  }
  await options.afterLoad?.();
  const configs: ResolvedConfig<R, F>[] = [];
  for (const config of loaded) {
    configs.push({ ...config, runtime: await project.runtimeFacts(config.runs) });
  }
  const groups = [];
  for (const config of configs) {
    groups.push({ config: config.name, nodes: await project.plan(config, context) });
  }
  const runNames = new Set(configs.flatMap((c) => c.runs.map((r) => r.name)));
  return { configs, stages: await buildStageGraph(groups, { runNames }) };
}
