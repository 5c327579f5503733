import { assessStage } from "./assess_stage.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { removeStaleTemps } from "../cache/cache_entry.ts";
import { computeStage } from "./compute_stage.ts";
import { executeInProcess } from "./execute_stage.ts";
import type { StageExecutor } from "./execute_stage.ts";
import { silentReporter } from "../cli/progress_reporter.ts";
import type { Reporter } from "../cli/progress_reporter.ts";
import { executeInChild } from "./spawn_stage.ts";
import { publishStage, rememberStage } from "./stage_bookkeeping.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";

export { describeStage } from "./compute_stage.ts";

/** What happened to a stage: fresh (cached), restored (cached, published anew), run, failed, skipped (an input failed, or interrupted). */
export type Outcome = "fresh" | "restored" | "run" | "failed" | "skipped";

/** One stage's result. */
export interface StageResult {
  stage: PlannedStage;
  outcome: Outcome;
  /** Wall time of the stage in this invocation (running and committing; 0 when fresh). */
  seconds: number;
  /** Why it ran (empty when fresh). */
  reasons: string[];
  /** The failure message, for failed and skipped stages. */
  error?: string;
}

/** Options of {@linkcode runPipeline}. */
export interface RunPipelineOptions {
  layout: CacheLayout;
  /** How many stages may run at once. Default: 1. */
  jobs?: number;
  /** Run each stage in a child process. Default: true when `jobs` > 1 (TF.js state is global). */
  isolate?: boolean;
  /** Stages to recompute even when cached. Default: none. */
  forced?: (stage: PlannedStage) => boolean;
  /** Where logs and progress go. Default: silent. */
  reporter?: Reporter;
  /** Aborting stops running stages (they fail) and starts no new ones (they are skipped). */
  signal?: AbortSignal;
  /** Overrides how stages execute (tests). Default: in-process or child process per `isolate`. */
  executor?: StageExecutor;
}

/**
 * Brings every stage up to date in dependency order: verified cache entries are used as they are
 * (fresh, or restored when a publish folder had to be refreshed); the rest run, up to `jobs` at a
 * time, the earliest ready stage first (so `--jobs 1` runs in a fixed order), each into a temp
 * folder that becomes its cache entry only on success. A failed stage leaves no entry and its
 * dependents are skipped; independent stages still complete.
 * @param stages every stage after its inputs, inputs included (as `buildStageGraph` returns).
 * @returns one result per stage, in the order given.
 * @throws {Error} when a stage's input is not in `stages`.
 */
export async function runPipeline(
  stages: readonly PlannedStage[],
  options: RunPipelineOptions,
): Promise<StageResult[]> {
  const { layout } = options;
  const jobs = options.jobs ?? 1;
  const executor = options.executor ??
    ((options.isolate ?? jobs > 1) ? executeInChild : executeInProcess);
  const reporter = options.reporter ?? silentReporter;
  const signal = options.signal ?? new AbortController().signal;
  const known = new Set(stages);
  for (const stage of stages) {
    const missing = Object.values(stage.inputs).find((input) => !known.has(input));
    if (missing) {
      throw new Error(`Cannot run stage ${stage.id} as its input ${missing.id} is not in the plan`);
    }
  }
  await removeStaleTemps(layout);
  // An entry's validity depends only on its own fingerprint, so every check can run at once.
  const assessments = new Map(
    await Promise.all(
      stages.map(async (s) =>
        [s, await assessStage(layout, s, options.forced?.(s) ?? false)] as const
      ),
    ),
  );
  const results = new Map<PlannedStage, StageResult>();
  const running = new Map<PlannedStage, Promise<void>>();
  const waiting = [...stages];

  while (waiting.length > 0 || running.size > 0) {
    let settled = false;
    for (const stage of [...waiting]) {
      const inputs = Object.values(stage.inputs).map((input) => results.get(input));
      if (inputs.some((r) => r === undefined)) continue;
      const assessment = assessments.get(stage)!;
      const broken = inputs.find((r) => r!.outcome === "failed" || r!.outcome === "skipped");
      const skip = (error: string): StageResult => ({
        stage,
        outcome: "skipped",
        seconds: 0,
        reasons: assessment.reasons,
        error,
      });
      let result: StageResult | undefined;
      if (assessment.fresh && assessment.check.ok) {
        const copied = await publishStage(stage, assessment.check.manifest, assessment.check.dir);
        await rememberStage(layout, stage);
        result = { stage, outcome: copied ? "restored" : "fresh", seconds: 0, reasons: [] };
      } else if (broken) {
        result = skip(`input ${broken.stage.id} did not complete`);
      } else if (signal.aborted) {
        result = skip("interrupted");
      } else if (running.size < jobs) {
        waiting.splice(waiting.indexOf(stage), 1);
        running.set(
          stage,
          computeStage(stage, {
            layout,
            executor,
            reporter,
            signal,
            assessment,
            forced: options.forced?.(stage) ?? false,
          }).then((r) => {
            results.set(stage, r);
            running.delete(stage);
          }),
        );
        continue;
      } else {
        continue;
      }
      waiting.splice(waiting.indexOf(stage), 1);
      results.set(stage, result);
      settled = true;
    }
    if (!settled && running.size > 0) await Promise.race(running.values());
    else if (!settled && running.size === 0 && waiting.length > 0) {
      throw new Error(`Cannot run stage ${waiting[0].id} as its inputs form a cycle`);
    }
  }
  return stages.map((s) => results.get(s)!);
}
