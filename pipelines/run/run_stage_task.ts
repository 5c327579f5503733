import type { CacheLayout } from "../cache/cache_layout.ts";
import { writeKeyPointer } from "../cache/key_pointer.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import { fingerprintOf, outputDigest } from "../graph/fingerprint.ts";
import { fingerprintObject } from "../graph/stage_graph.ts";
import type { ProgressUpdate } from "../types.ts";
import { computeStage } from "./compute_stage.ts";
import type { JobRunner } from "./execute_stage.ts";
import { resolveTaskInputs } from "./resolve_task_inputs.ts";
import type { StageTask } from "./stage_task.ts";
import type { TaskResult } from "./task_result.ts";
import { verifyTaskCode } from "./verify_task_code.ts";

/** Options of {@linkcode runStageTask}. */
export interface RunStageTaskOptions {
  layout: CacheLayout;
  /** Runs the stage's code once everything is resolved (in this process, or a child). */
  runJob: JobRunner;
  log: (line: string) => void;
  progress: (update: ProgressUpdate) => void;
  signal: AbortSignal;
}

/**
 * Brings one stage up to date from its task alone: checks that the checkout still holds the
 * code it was planned with (else fails, closed), finds its inputs' entries (handed over, or
 * through their keys' pointers), computes its fingerprint, and uses a valid entry if one exists
 * (made by another process, job or colleague, or unchanged by early cutoff); otherwise runs it
 * under the stage's lock and commits it. Either way its key then points at the entry.
 * @returns the result; never throws for a stage failure.
 */
export async function runStageTask(
  task: StageTask,
  options: RunStageTaskOptions,
): Promise<TaskResult> {
  const begun = performance.now();
  const seconds = () => (performance.now() - begun) / 1000;
  const changed = await verifyTaskCode(task);
  if (changed !== undefined) {
    return {
      outcome: "failed",
      seconds: seconds(),
      error:
        `the checkout's code is not what the pipeline was planned with (${changed}): run the pipeline again to plan with the current code`,
    };
  }
  const inputs = await resolveTaskInputs(options.layout, task);
  if ("error" in inputs) return { outcome: "failed", seconds: seconds(), error: inputs.error };
  const object = fingerprintObject(task, inputs.digests);
  const fingerprint = fingerprintOf(object);
  if (!task.recompute) {
    const check = await verifyEntry(options.layout, fingerprint);
    if (check.ok) {
      await writeKeyPointer(options.layout, task.key, fingerprint);
      return {
        outcome: "fresh",
        fingerprint,
        digest: outputDigest(check.manifest.files),
        seconds: seconds(),
        manifest: check.manifest,
      };
    }
  }
  return await computeStage({ task, fingerprint, object, inputs }, options);
}
