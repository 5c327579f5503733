/**
 * The pipeline engine: config loading, run expansion, stage graph, content-addressed cache,
 * runner and CLI. It knows nothing about CNNs; a {@linkcode Project} plugs the CNN side in.
 * @module
 */
export * from "./types.ts";
export { runCli } from "./cli/cli.ts";
export type { RunCliOptions } from "./cli/cli.ts";
export { ConfigError } from "./config/config_error.ts";
export { loadConfig } from "./config/load_config.ts";
export type { LoadedConfig } from "./config/load_config.ts";
export { planPipeline } from "./graph/plan_pipeline.ts";
export type { PipelinePlan } from "./graph/plan_pipeline.ts";
export { buildStageGraph } from "./graph/stage_graph.ts";
export type { PlannedStage } from "./graph/stage_graph.ts";
export { runPipeline } from "./run/run_pipeline.ts";
export type { Outcome, RunPipelineOptions, StageResult } from "./run/run_pipeline.ts";
export { cacheLayout, resolveCacheDir } from "./cache/cache_layout.ts";
export { fingerprintOf } from "./graph/fingerprint.ts";
export type { FingerprintObject } from "./graph/fingerprint.ts";
export { hashStageCode } from "./hashing/code_hash.ts";
export type { StageCode } from "./hashing/code_hash.ts";
export { canonicalJson } from "./hashing/canonical_json.ts";
export { createConsoleReporter } from "./cli/progress_reporter.ts";
export type { Reporter } from "./cli/progress_reporter.ts";
export type { StageExecution, StageExecutor, SubmitOptions } from "./run/stage_executor.ts";
export type { StageTask } from "./run/stage_task.ts";
export type { TaskResult } from "./run/task_result.ts";
export { inProcessExecutor } from "./run/in_process_executor.ts";
export { childProcessExecutor } from "./run/child_process_executor.ts";
export { slurmExecutor } from "./run/slurm/slurm_executor.ts";
export type { ExecutorSettings } from "./config/executor_schema.ts";
