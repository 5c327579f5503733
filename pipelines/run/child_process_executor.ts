import type { CacheLayout } from "../cache/cache_layout.ts";
import { startLocalExecution } from "./_local_execution.ts";
import { executeInChild } from "./spawn_stage.ts";
import type { StageExecutor } from "./stage_executor.ts";

/** Options of {@linkcode childProcessExecutor}. */
export interface ChildProcessExecutorOptions {
  layout: CacheLayout;
  /** Stages at once (`--jobs N`). */
  jobs: number;
}

/**
 * Runs up to `jobs` stages at once, each stage's code in its own child process (`--jobs N`,
 * `--isolate`): stages are CPU-bound and TF.js keeps global state, so they need processes, not
 * threads. Locking and committing stay in this process.
 */
export function childProcessExecutor(options: ChildProcessExecutorOptions): StageExecutor {
  return {
    name: "child processes",
    slots: options.jobs,
    queuesDependents: false,
    submit: (task, submit) =>
      Promise.resolve(
        startLocalExecution(task, submit, {
          layout: options.layout,
          runJob: executeInChild,
          label: "child process",
        }),
      ),
  };
}
