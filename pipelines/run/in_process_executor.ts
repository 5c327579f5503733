import type { CacheLayout } from "../cache/cache_layout.ts";
import { executeInProcess, type JobRunner } from "./execute_stage.ts";
import { startLocalExecution } from "./_local_execution.ts";
import type { StageExecutor } from "./stage_executor.ts";

/** Options of {@linkcode inProcessExecutor}. */
export interface InProcessExecutorOptions {
  layout: CacheLayout;
  /** Runs the stage's code. Default: `executeInProcess` (tests substitute their own). */
  runJob?: JobRunner;
  /** Stages at once. Default: 1 (TF.js state is global to a process). */
  slots?: number;
}

/** Runs one stage at a time in this process (the default, `--jobs 1`). */
export function inProcessExecutor(options: InProcessExecutorOptions): StageExecutor {
  const runJob = options.runJob ?? executeInProcess;
  return {
    name: "in-process",
    slots: options.slots ?? 1,
    queuesDependents: false,
    submit: (task, submit) =>
      Promise.resolve(
        startLocalExecution(task, submit, { layout: options.layout, runJob, label: "in-process" }),
      ),
  };
}
