import { abandonEntry, commitEntry, type PendingEntry, startEntry } from "../cache/cache_entry.ts";
import { errorCause } from "../cache/cache_error.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { writeKeyPointer } from "../cache/key_pointer.ts";
import { type HeldLock, LockWaitAborted } from "../cache/lock_file.ts";
import type { Manifest } from "../cache/manifest.ts";
import { describeProcess } from "../cache/process_identity.ts";
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
 * stage's lock meanwhile (a lock record naming this process, judged the same way on every
 * machine sharing the cache); if another process held it and produced the entry, the stage is
 * fresh after all (unless the task must recompute).
 * @returns `run`, `fresh`, `failed` (a cache that cannot be written is a failure too),
 * `interrupted` when the signal stopped it while running, or `skipped` when interrupted while
 * waiting for the lock. Never throws.
 */
export async function computeStage(
  item: StageToCompute,
  options: ComputeStageOptions,
): Promise<TaskResult> {
  const { layout } = options;
  const { task, fingerprint } = item;
  const begun = performance.now();
  let lock: HeldLock;
  try {
    lock = await lockStage(layout, fingerprint, {
      id: task.id,
      signal: options.signal,
      onWait: (holder, reason) =>
        options.log(
          holder
            ? `waiting for ${
              describeProcess(holder)
            }, which has been computing this stage since ${holder.created} (Ctrl-C stops waiting)`
            : `waiting for the lock ${layout.lock(fingerprint)}: ${reason} (Ctrl-C stops waiting)`,
        ),
      onTakeOver: (_holder, reason) => options.log(`took over a stale lock: ${reason}`),
    });
  } catch (error) {
    if (error instanceof LockWaitAborted) {
      return { outcome: "skipped", seconds: 0, error: "interrupted" };
    }
    return { outcome: "failed", seconds: 0, error: cacheProblem(layout, error) };
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
    return await computeLocked(item, options, lock);
  } catch (error) {
    return { outcome: "failed", seconds: 0, error: cacheProblem(layout, error) };
  } finally {
    await lock.release();
  }
}

function cacheProblem(layout: CacheLayout, error: unknown): string {
  return `Cannot write the cache at ${layout.root}: ${errorCause(error)}`;
}

async function computeLocked(
  item: StageToCompute,
  options: ComputeStageOptions,
  lock: HeldLock,
): Promise<TaskResult> {
  const { layout } = options;
  const { task, fingerprint } = item;
  const started = new Date();
  const seconds = () => (Date.now() - started.getTime()) / 1000;
  let pending: PendingEntry;
  try {
    pending = await startEntry(layout, fingerprint, lock.record.token);
  } catch (error) {
    return { outcome: "failed", seconds: 0, error: cacheProblem(layout, error) };
  }
  const log = (line: string) => {
    options.log(line);
    try {
      Deno.writeTextFileSync(pending.logFile, line + "\n", { append: true });
    } catch { /* a full disk: the line was shown; the commit will report the cache problem */ }
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
      setup: task.setup,
    }, { log, progress: options.progress, signal: options.signal });
  } catch (error) {
    await abandonEntry(pending);
    if (options.signal.aborted) {
      return {
        outcome: "interrupted",
        seconds: seconds(),
        error: "its checkpoints are kept",
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: "failed", seconds: seconds(), error: message };
  }
  let manifest: Manifest;
  try {
    manifest = await commitEntry(layout, pending, {
      fingerprint,
      id: task.id,
      object: item.object,
      started,
      seconds: seconds(),
      replace: task.recompute,
    });
    await writeKeyPointer(layout, task.key, fingerprint);
  } catch (error) {
    await abandonEntry(pending);
    return { outcome: "failed", seconds: seconds(), error: cacheProblem(layout, error) };
  }
  return {
    outcome: "run",
    fingerprint,
    digest: outputDigest(manifest.files),
    seconds: seconds(),
    manifest,
  };
}
