import type { CacheLayout } from "../cache/cache_layout.ts";
import type { JobRunner } from "./execute_stage.ts";
import { runStageTask } from "./run_stage_task.ts";
import type { StageExecution, SubmitOptions } from "./stage_executor.ts";
import type { StageTask } from "./stage_task.ts";

/** How many log lines a local execution keeps for `logTail`. */
const KEPT_LINES = 200;

/**
 * Starts a task in this process (its code runs here or in a child, per `runJob`) and returns
 * its execution: running until the result settles; `cancel` aborts it.
 */
export function startLocalExecution(
  task: StageTask,
  options: SubmitOptions,
  local: { layout: CacheLayout; runJob: JobRunner; label: string },
): StageExecution {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (options.signal.aborted) abort();
  options.signal.addEventListener("abort", abort);
  const lines: string[] = [];
  let ended = false;
  const result = runStageTask(task, {
    layout: local.layout,
    runJob: local.runJob,
    log: (line) => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      options.log(line);
    },
    progress: options.progress,
    signal: controller.signal,
  }).catch((error) => ({
    outcome: "failed" as const,
    seconds: 0,
    error: error instanceof Error ? error.message : String(error),
  })).finally(() => {
    ended = true;
    options.signal.removeEventListener("abort", abort);
  });
  return {
    label: local.label,
    result,
    state: () => ({ state: ended ? "ended" : "running" }),
    cancel: () => Promise.resolve(abort()),
    logTail: (count) => Promise.resolve(lines.slice(-count)),
  };
}
