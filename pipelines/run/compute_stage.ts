import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { abandonEntry, commitEntry, type PendingEntry, startEntry } from "../cache/cache_entry.ts";
import { errorCause } from "../cache/cache_error.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { type HeldLock, LockWaitAborted } from "../cache/lock_file.ts";
import type { Manifest } from "../cache/manifest.ts";
import { describeProcess } from "../cache/process_identity.ts";
import { lockStage } from "../cache/stage_lock.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import type { Reporter } from "../cli/progress_reporter.ts";
import { type FingerprintObject, outputDigest } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import type { StageExecutor } from "./execute_stage.ts";
import { publishStage, rememberStage } from "./stage_bookkeeping.ts";
import { describeStage, type StageResult } from "./stage_result.ts";

/** A stage that must run, with the key its outputs will be stored under. */
export interface StageToCompute {
  stage: PlannedStage;
  fingerprint: string;
  object: FingerprintObject;
  /** Input name → the upstream entry's fingerprint (its outputs are `entries/<fp>/out`). */
  inputFingerprints: Record<string, string>;
  /** Why it runs (logged first, returned in the result). */
  reasons: string[];
}

/** Options of {@linkcode computeStage}. */
export interface ComputeStageOptions {
  layout: CacheLayout;
  executor: StageExecutor;
  reporter: Reporter;
  signal: AbortSignal;
  /**
   * Recompute even if another process has meanwhile produced the entry (forced, or a stage whose
   * code is not fully tracked). Default: false.
   */
  recompute?: boolean;
  /** Publish targets must lie inside this folder. Default: the cwd. */
  publishRoot?: string;
  /** Modules the stage's process imports first. Default: none. */
  stageSetup?: readonly URL[];
}

/**
 * Runs one stage into a temp folder and, on success, commits it as the cache entry, publishes it
 * and records its fingerprint. On failure the temp folder is deleted (the work folder stays).
 * Holds the stage's lock meanwhile; if another process held it and produced the entry, the
 * stage is fresh after all.
 * @returns the result: `run`, `failed` (with a message naming stage and run; a cache that cannot
 * be written and a publish folder that cannot be written are failures too), `interrupted` when
 * the signal stopped it, `fresh`, or `skipped` when interrupted while waiting for the lock.
 * Never throws.
 */
export async function computeStage(
  item: StageToCompute,
  options: ComputeStageOptions,
): Promise<StageResult> {
  const { layout, reporter } = options;
  const { stage, fingerprint, reasons } = item;
  let lock: HeldLock;
  try {
    lock = await lockStage(layout, fingerprint, {
      id: stage.id,
      signal: options.signal,
      onWait: (holder, reason) =>
        reporter.log(
          stage.id,
          holder
            ? `waiting for ${
              describeProcess(holder)
            }, which has been computing this stage since ${holder.created} (Ctrl-C stops waiting)`
            : `waiting for the lock ${layout.lock(fingerprint)}: ${reason} (Ctrl-C stops waiting)`,
        ),
      onTakeOver: (_holder, reason) => reporter.log(stage.id, `took over a stale lock: ${reason}`),
    });
  } catch (error) {
    if (error instanceof LockWaitAborted) {
      return { stage, outcome: "skipped", seconds: 0, reasons, error: "interrupted" };
    }
    return failed(item, 0, cacheProblem(layout, error));
  }
  try {
    // Another pipeline sharing the cache may have produced the entry while we waited.
    const check = options.recompute ? undefined : await verifyEntry(layout, fingerprint);
    if (check?.ok) return await finish(item, options, check.manifest, "fresh", 0);
    return await computeLocked(item, options, lock);
  } catch (error) {
    return failed(item, 0, cacheProblem(layout, error));
  } finally {
    await lock.release();
  }
}

function cacheProblem(layout: CacheLayout, error: unknown): string {
  return `Cannot write the cache at ${layout.root}: ${errorCause(error)}`;
}

function failed(item: StageToCompute, seconds: number, message: string): StageResult {
  return {
    stage: item.stage,
    outcome: "failed",
    seconds,
    reasons: item.reasons,
    error: `Stage ${describeStage(item.stage)} failed: ${message}`,
  };
}

/** Publishes and records a stage whose entry is in place; a publish failure fails the stage
 * but keeps its outputs' digest, so its dependents still run. */
async function finish(
  item: StageToCompute,
  options: ComputeStageOptions,
  manifest: Manifest,
  outcome: "fresh" | "run",
  seconds: number,
): Promise<StageResult> {
  const { layout, reporter } = options;
  const { stage, fingerprint } = item;
  const done = {
    stage,
    seconds,
    reasons: outcome === "run" ? item.reasons : [],
    fingerprint,
    digest: outputDigest(manifest.files),
  };
  try {
    await rememberStage(layout, stage, fingerprint, item.object);
    await publishStage(stage, manifest, layout.entry(fingerprint), {
      root: options.publishRoot ?? ".",
      log: (line) => reporter.log(stage.id, line),
    });
  } catch (error) {
    return { ...done, outcome: "failed", error: errorCause(error) };
  }
  return { ...done, outcome };
}

async function computeLocked(
  item: StageToCompute,
  options: ComputeStageOptions,
  lock: HeldLock,
): Promise<StageResult> {
  const { layout, reporter } = options;
  const { stage, fingerprint, reasons } = item;
  const started = new Date();
  const seconds = () => (Date.now() - started.getTime()) / 1000;
  let pending: PendingEntry;
  try {
    pending = await startEntry(layout, fingerprint, lock.record.token);
  } catch (error) {
    return failed(item, 0, cacheProblem(layout, error));
  }
  const log = (line: string) => {
    reporter.log(stage.id, line);
    try {
      appendFileSync(pending.logFile, line + "\n");
    } catch { /* a full disk: the line was shown; the commit will report the cache problem */ }
  };
  log(`running: ${reasons.join("; ")}`);
  try {
    await options.executor({
      module: stage.node.module.href,
      uses: Object.fromEntries(
        Object.entries(stage.node.uses ?? {}).map(([name, url]) => [name, url.href]),
      ),
      outDir: pending.outDir,
      inputs: Object.fromEntries(
        Object.entries(item.inputFingerprints).map((
          [name, fp],
        ) => [name, join(layout.entry(fp), "out")]),
      ),
      params: stage.params,
      workDir: pending.workDir,
      runtime: stage.runtime,
      fingerprint,
      inputFingerprints: item.inputFingerprints,
      setup: options.stageSetup?.map((url) => url.href),
    }, { log, progress: (update) => reporter.progress(stage.id, update), signal: options.signal });
  } catch (error) {
    await abandonEntry(pending);
    if (options.signal.aborted) {
      return {
        stage,
        outcome: "interrupted",
        seconds: seconds(),
        reasons,
        error: `Stage ${describeStage(stage)} was interrupted; its checkpoints are kept`,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return failed(item, seconds(), message);
  } finally {
    reporter.done(stage.id);
  }
  let manifest: Manifest;
  try {
    manifest = await commitEntry(layout, pending, {
      fingerprint,
      id: stage.id,
      object: item.object,
      started,
      seconds: seconds(),
      replace: options.recompute,
    });
  } catch (error) {
    await abandonEntry(pending);
    return failed(item, seconds(), cacheProblem(layout, error));
  }
  return await finish(item, options, manifest, "run", seconds());
}
