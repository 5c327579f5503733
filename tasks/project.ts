/**
 * The CNN side of the pipeline, as the engine sees it: the run and report schemas, the stage
 * planner, the runtime facts, the time estimates and what is printed after a run.
 * @module
 */
import type { Project } from "../pipelines/types.ts";
import { afterRun } from "./after_run.ts";
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
  // Reports are published to reports/<config>/; nothing outside reports/ may be written over.
  publishRoot: "reports",
  // Every stage process first silences TF.js's "install tfjs-node" banner.
  stageSetup: [new URL("./quiet_tfjs.ts", import.meta.url)],
  estimate: estimateStage,
  lightStageKinds: ["data", "split", "report"],
  // Skipping a run or stating an assumption on the command line keeps the run's name.
  unnamedOverrideKeys: ["skip", "assumptions", "reference_epochs", "reference_fraction"],
  // run-info.md beside each published report, and where it went with its test results.
  afterRun,
};
