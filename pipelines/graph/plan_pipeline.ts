import { ConfigError } from "../config/config_error.ts";
import type { ExecutorSettings } from "../config/executor_schema.ts";
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from "../config/load_config.ts";
import type { Json, PlanContext, Project, ResolvedConfig } from "../types.ts";
import { buildStageGraph } from "./stage_graph.ts";
import type { PlannedStage } from "./stage_graph.ts";

/** Configs resolved and their combined stage graph. */
export interface PipelinePlan<R = Json, F extends Json = Json> {
  /** The configs, each with its `executor:` section when it has one. */
  configs: (ResolvedConfig<R, F> & { executor?: ExecutorSettings })[];
  /** Every stage of every config, identical stages merged, inputs before users. */
  stages: PlannedStage[];
}

/** Options of {@linkcode planPipeline}. */
export interface PlanPipelineOptions<R, F> extends LoadConfigOptions {
  /**
   * Called once every config has loaded and validated, before the project computes runtime facts
   * or plans (which may write to the cache): a bad config is reported before anything is touched.
   */
  afterLoad?: () => Promise<void>;
  /**
   * Computes the runtime facts of every config at once (e.g. on a cluster node, where the stages
   * will run). Default: `project.runtimeFacts(config.runs)` for each, in this process.
   */
  runtimeFacts?: (configs: readonly LoadedConfig<R>[]) => Promise<F[]>;
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
  options: PlanPipelineOptions<R, F> = {},
): Promise<PipelinePlan<R, F>> {
  const loaded: LoadedConfig<R>[] = [];
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
  let facts: F[] = [];
  if (options.runtimeFacts) facts = await options.runtimeFacts(loaded);
  // One after the other: a project may probe the machine's backends while answering.
  else for (const config of loaded) facts.push(await project.runtimeFacts(config.runs));
  // Assigned, not spread: a spread would compute each config's hash now (a getter).
  const configs: PipelinePlan<R, F>["configs"] = loaded.map((config, i) =>
    Object.assign(config, { runtime: facts[i] })
  );
  const groups = [];
  for (const config of configs) {
    groups.push({ config: config.name, nodes: await project.plan(config, context) });
  }
  const runNames = new Set(configs.flatMap((c) => c.runs.map((r) => r.name)));
  return { configs, stages: await buildStageGraph(groups, { runNames }) };
}
