import { appendFileSync } from "node:fs";
import { abandonEntry, commitEntry, startEntry } from "../cache/cache_entry.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { writeKeyPointer } from "../cache/key_pointer.ts";
import { lockStage } from "../cache/stage_lock.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import { type FingerprintObject, outputDigest } from "../graph/fingerprint.ts";
import type { ProgressUpdate } from "../types.ts";
import type { JobRunner } from "./execute_stage.ts";
import type { ResolvedInputs } from "./resolve_task_inputs.ts";
import type { StageTask } from "./stage_task.ts";
import type { TaskResult } from "./task_result.ts";

/** A stage that must run, with the key its outputs will be stored under. */
export interface StageToCompute {
  task: StageTask;
  fingerprint: string;
  object: FingerprintObject;
  inputs: ResolvedInputs;
}

/** Options of {@linkcode computeStage}. */
export interface ComputeStageOptions {
  layout: CacheLayout;
  /** Runs the stage's code (in this process, or a child). */
  runJob: JobRunner;
  log: (line: string) => void;
  progress: (update: ProgressUpdate) => void;
  signal: AbortSignal;
}

/**
 * Runs one stage into a temp folder and, on success, commits it as the cache entry and points
 * its key at it. On failure the temp folder is deleted (the work folder stays). Holds the
 * stage's lock meanwhile; if another process held it and produced the entry, the stage is fresh
 * after all (unless the task must recompute).
 * @returns `run`, `fresh`, `failed`, or `skipped` when interrupted while waiting for the lock.
 * Never throws for a stage failure.
 */
export async function computeStage(
  item: StageToCompute,
  options: ComputeStageOptions,
): Promise<TaskResult> {
  const { layout } = options;
  const { task, fingerprint } = item;
  const begun = performance.now();
  let lock;
  try {
    lock = await lockStage(layout, fingerprint, {
      signal: options.signal,
      onWait: (pid) => options.log(`waiting for process ${pid}, which is computing this stage`),
    });
  } catch (error) {
    return { outcome: "skipped", seconds: 0, error: (error as Error).message };
  }
  try {
    // Another pipeline sharing the cache may have produced the entry while we waited.
    const check = task.recompute ? undefined : await verifyEntry(layout, fingerprint);
    if (check?.ok) {
      await writeKeyPointer(layout, task.key, fingerprint);
      return {
        outcome: "fresh",
        fingerprint,
        digest: outputDigest(check.manifest.files),
        seconds: (performance.now() - begun) / 1000,
        manifest: check.manifest,
      };
    }
    return await computeLocked(item, options);
  } finally {
    await lock.release();
  }
}

async function computeLocked(
  item: StageToCompute,
  options: ComputeStageOptions,
): Promise<TaskResult> {
  const { layout } = options;
  const { task, fingerprint } = item;
  const started = new Date();
  const seconds = () => (Date.now() - started.getTime()) / 1000;
  const pending = await startEntry(layout, fingerprint);
  const log = (line: string) => {
    options.log(line);
    appendFileSync(pending.logFile, line + "\n");
  };
  log(`running: ${task.reasons.join("; ")}`);
  try {
    await options.runJob({
      module: task.module,
      uses: task.uses,
      outDir: pending.outDir,
      inputs: item.inputs.dirs,
      params: task.params,
      workDir: pending.workDir,
      runtime: task.runtime,
      fingerprint,
      inputFingerprints: item.inputs.fingerprints,
    }, { log, progress: options.progress, signal: options.signal });
  } catch (error) {
    await abandonEntry(pending);
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: "failed", seconds: seconds(), error: message };
  }
  const manifest = await commitEntry(layout, pending, {
    fingerprint,
    id: task.id,
    object: item.object,
    started,
    seconds: seconds(),
  });
  await writeKeyPointer(layout, task.key, fingerprint);
  return {
    outcome: "run",
    fingerprint,
    digest: outputDigest(manifest.files),
    seconds: seconds(),
    manifest,
  };
}
