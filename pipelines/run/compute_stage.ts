import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { Assessment } from "./assess_stage.ts";
import { abandonEntry, commitEntry, startEntry } from "../cache/cache_entry.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import type { StageExecutor } from "./execute_stage.ts";
import type { Reporter } from "../cli/progress_reporter.ts";
import type { StageResult } from "./run_pipeline.ts";
import { publishStage, rememberStage } from "./stage_bookkeeping.ts";
import { lockStage } from "../cache/stage_lock.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";

/** Options of {@linkcode computeStage}. */
export interface ComputeStageOptions {
  layout: CacheLayout;
  executor: StageExecutor;
  reporter: Reporter;
  signal: AbortSignal;
  /** Why it runs (logged first, returned in the result). */
  assessment: Assessment;
  /** Recompute even if another process has meanwhile produced the entry. Default: false. */
  forced?: boolean;
}

/** `train:x (run x)` for failure messages. */
export function describeStage(stage: PlannedStage): string {
  return stage.runs.length ? `${stage.id} (run ${stage.runs.join(", ")})` : stage.id;
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
  stage: PlannedStage,
  options: ComputeStageOptions,
): Promise<StageResult> {
  const { layout, reporter } = options;
  let lock;
  try {
    lock = await lockStage(layout, stage.fingerprint, {
      signal: options.signal,
      onWait: (pid) =>
        reporter.log(stage.id, `waiting for process ${pid}, which is computing this stage`),
    });
  } catch (error) {
    const reasons = options.assessment.reasons;
    return { stage, outcome: "skipped", seconds: 0, reasons, error: (error as Error).message };
  }
  try {
    // Another pipeline sharing the cache may have produced the entry while we waited.
    const check = options.forced ? undefined : await verifyEntry(layout, stage.fingerprint);
    if (check?.ok) {
      await publishStage(stage, check.manifest, check.dir);
      await rememberStage(layout, stage);
      return { stage, outcome: "fresh", seconds: 0, reasons: [] };
    }
    return await computeLocked(stage, options);
  } finally {
    await lock.release();
  }
}

async function computeLocked(
  stage: PlannedStage,
  options: ComputeStageOptions,
): Promise<StageResult> {
  const { layout, reporter, assessment } = options;
  const started = new Date();
  const seconds = () => (Date.now() - started.getTime()) / 1000;
  const pending = await startEntry(layout, stage.fingerprint);
  const log = (line: string) => {
    reporter.log(stage.id, line);
    appendFileSync(pending.logFile, line + "\n");
  };
  log(`running: ${assessment.reasons.join("; ")}`);
  try {
    await options.executor({
      module: stage.node.module.href,
      outDir: pending.outDir,
      inputs: Object.fromEntries(
        Object.entries(stage.inputs).map((
          [name, s],
        ) => [name, join(layout.entry(s.fingerprint), "out")]),
      ),
      params: stage.node.params,
      workDir: pending.workDir,
      runtime: stage.node.runtime ?? null,
    }, { log, progress: (update) => reporter.progress(stage.id, update), signal: options.signal });
  } catch (error) {
    await abandonEntry(pending);
    const message = error instanceof Error ? error.message : String(error);
    const failure = `Stage ${describeStage(stage)} failed: ${message}`;
    return {
      stage,
      outcome: "failed",
      seconds: seconds(),
      reasons: assessment.reasons,
      error: failure,
    };
  } finally {
    reporter.done(stage.id);
  }
  const manifest = await commitEntry(layout, pending, {
    fingerprint: stage.fingerprint,
    id: stage.id,
    object: stage.object,
    started,
    seconds: seconds(),
  });
  await publishStage(stage, manifest, layout.entry(stage.fingerprint));
  await rememberStage(layout, stage);
  return { stage, outcome: "run", seconds: seconds(), reasons: assessment.reasons };
}
