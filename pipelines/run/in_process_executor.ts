import type { CacheLayout } from "../cache/cache_layout.ts";
import { executeInProcess, type JobRunner } from "./execute_stage.ts";
import { startLocalExecution } from "./_local_execution.ts";
import { executeInChild } from "./spawn_stage.ts";
import type { StageExecutor } from "./stage_executor.ts";

/** Options of {@linkcode inProcessExecutor}. */
export interface InProcessExecutorOptions {
  layout: CacheLayout;
  /**
   * Runs the stage's code. Default: `executeInProcess`, or `executeInChild` for a task that asks
   * for its own process (tests substitute their own).
   */
  runJob?: JobRunner;
  /** Stages at once. Default: 1 (TF.js state is global to a process). */
  slots?: number;
}

/**
 * Runs one stage at a time in this process (the default, `--jobs 1`); a memory-heavy stage
 * (`StageNode.isolate`) in a child process, so that an out-of-memory kill fails it alone and the
 * pipeline survives to report it.
 */
export function inProcessExecutor(options: InProcessExecutorOptions): StageExecutor {
  return {
    name: "in-process",
    slots: options.slots ?? 1,
    queuesDependents: false,
    submit: (task, submit) => {
      const isolated = options.runJob === undefined && task.isolate === true;
      return Promise.resolve(
        startLocalExecution(task, submit, {
          layout: options.layout,
          runJob: options.runJob ?? (isolated ? executeInChild : executeInProcess),
          label: isolated ? "child process" : "in-process",
        }),
      );
    },
  };
}
