/**
 * The CNN side of the pipeline, as the engine sees it: the run and report schemas, the stage
 * planner, the runtime facts and the time estimates.
 * @module
 */
import type { Project } from "../pipelines/types.ts";
import { estimateStage } from "./estimate/estimate_stage.ts";
import { planStages } from "./plan_stages.ts";
import { reportOptionsSchema } from "./report/report_options.ts";
import { type RunParams, runSchema } from "./run_schema.ts";
import { type RuntimeFacts, runtimeFacts } from "./runtime_facts.ts";

/** The project plugged into `runCli`. */
export const project: Project<RunParams, RuntimeFacts> = {
  runSchema,
  reportSchema: reportOptionsSchema,
  plan: planStages,
  runtimeFacts,
  estimate: estimateStage,
  lightStageKinds: ["data", "split", "report"],
};
