import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { abandonEntry, commitEntry, startEntry } from "../cache/cache_entry.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
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
}

/**
 * Runs one stage into a temp folder and, on success, commits it as the cache entry, publishes it
 * and records its fingerprint. On failure the temp folder is deleted (the work folder stays).
 * Holds the stage's lock meanwhile; if another process held it and produced the entry, the
 * stage is fresh after all.
 * @returns the result: `run`, `failed` (with a message naming stage and run), `fresh`, or
 * `skipped` when interrupted while waiting for the lock. Never throws for a stage failure.
 */
export async function computeStage(
  item: StageToCompute,
  options: ComputeStageOptions,
): Promise<StageResult> {
  const { layout, reporter } = options;
  const { stage, fingerprint, reasons } = item;
  let lock;
  try {
    lock = await lockStage(layout, fingerprint, {
      signal: options.signal,
      onWait: (pid) =>
        reporter.log(stage.id, `waiting for process ${pid}, which is computing this stage`),
    });
  } catch (error) {
    return { stage, outcome: "skipped", seconds: 0, reasons, error: (error as Error).message };
  }
  try {
    // Another pipeline sharing the cache may have produced the entry while we waited.
    const check = options.recompute ? undefined : await verifyEntry(layout, fingerprint);
    if (check?.ok) {
      await publishStage(stage, check.manifest, check.dir);
      await rememberStage(layout, stage, fingerprint, item.object);
      return {
        stage,
        outcome: "fresh",
        seconds: 0,
        reasons: [],
        fingerprint,
        digest: outputDigest(check.manifest.files),
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
): Promise<StageResult> {
  const { layout, reporter } = options;
  const { stage, fingerprint, reasons } = item;
  const started = new Date();
  const seconds = () => (Date.now() - started.getTime()) / 1000;
  const pending = await startEntry(layout, fingerprint);
  const log = (line: string) => {
    reporter.log(stage.id, line);
    appendFileSync(pending.logFile, line + "\n");
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
    }, { log, progress: (update) => reporter.progress(stage.id, update), signal: options.signal });
  } catch (error) {
    await abandonEntry(pending);
    const message = error instanceof Error ? error.message : String(error);
    return {
      stage,
      outcome: "failed",
      seconds: seconds(),
      reasons,
      error: `Stage ${describeStage(stage)} failed: ${message}`,
    };
  } finally {
    reporter.done(stage.id);
  }
  const manifest = await commitEntry(layout, pending, {
    fingerprint,
    id: stage.id,
    object: item.object,
    started,
    seconds: seconds(),
  });
  await publishStage(stage, manifest, layout.entry(fingerprint));
  await rememberStage(layout, stage, fingerprint, item.object);
  return {
    stage,
    outcome: "run",
    seconds: seconds(),
    reasons,
    fingerprint,
    digest: outputDigest(manifest.files),
  };
}
