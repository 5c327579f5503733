import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { Assessment } from "./assess_stage.ts";
import { abandonEntry, commitEntry, startEntry } from "./cache_entry.ts";
import type { CacheLayout } from "./cache_layout.ts";
import type { StageExecutor } from "./execute_stage.ts";
import type { Reporter } from "./progress_reporter.ts";
import type { StageResult } from "./run_pipeline.ts";
import { publishStage, rememberStage } from "./stage_bookkeeping.ts";
import type { PlannedStage } from "./stage_graph.ts";

/** Options of {@linkcode computeStage}. */
export interface ComputeStageOptions {
  layout: CacheLayout;
  executor: StageExecutor;
  reporter: Reporter;
  signal: AbortSignal;
  /** Why it runs (logged first, returned in the result). */
  assessment: Assessment;
}

/** `train:x (run x)` for failure messages. */
export function describeStage(stage: PlannedStage): string {
  return stage.runs.length ? `${stage.id} (run ${stage.runs.join(", ")})` : stage.id;
}

/**
 * Runs one stage into a temp folder and, on success, commits it as the cache entry, publishes it
 * and records its fingerprint. On failure the temp folder is deleted (the work folder stays).
 * @returns the result: `run` or `failed` (with a message naming stage and run). Never throws
 * for a stage failure.
 */
export async function computeStage(
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
