/**
 * The pipeline engine: config loading, run expansion, stage graph, content-addressed cache,
 * runner and CLI. It knows nothing about CNNs; a {@linkcode Project} plugs the CNN side in.
 * @module
 */
export * from "./types.ts";
export { runCli } from "./cli.ts";
export type { RunCliOptions } from "./cli.ts";
export { ConfigError } from "./config_error.ts";
export { loadConfig } from "./load_config.ts";
export type { LoadedConfig } from "./load_config.ts";
export { planPipeline } from "./plan_pipeline.ts";
export type { PipelinePlan } from "./plan_pipeline.ts";
export { buildStageGraph } from "./stage_graph.ts";
export type { PlannedStage } from "./stage_graph.ts";
export { runPipeline } from "./run_pipeline.ts";
export type { Outcome, RunPipelineOptions, StageResult } from "./run_pipeline.ts";
export { cacheLayout, resolveCacheDir } from "./cache_layout.ts";
export { fingerprintOf } from "./fingerprint.ts";
export type { FingerprintObject } from "./fingerprint.ts";
export { hashModuleCode } from "./code_hash.ts";
export { canonicalJson } from "./canonical_json.ts";
export { createConsoleReporter } from "./progress_reporter.ts";
export type { Reporter } from "./progress_reporter.ts";
