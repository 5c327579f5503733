import type { CacheLayout } from "../cache/cache_layout.ts";
import { removeStaleTemps } from "../cache/cache_entry.ts";
import { silentReporter } from "../cli/progress_reporter.ts";
import type { Reporter } from "../cli/progress_reporter.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { type Assessment, assessStage } from "./assess_stage.ts";
import { computeStage } from "./compute_stage.ts";
import { executeInProcess } from "./execute_stage.ts";
import type { StageExecutor } from "./execute_stage.ts";
import { executeInChild } from "./spawn_stage.ts";
import { publishStage, rememberStage } from "./stage_bookkeeping.ts";
import type { StageResult } from "./stage_result.ts";

export type { Outcome, StageResult } from "./stage_result.ts";
export { describeStage } from "./stage_result.ts";

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
 * Brings every stage up to date in dependency order. A stage is assessed once its inputs are
 * done: its fingerprint holds the digests of its inputs' outputs, so an input that reran and
 * wrote the same bytes leaves it fresh (early cutoff). Verified cache entries are used as they
 * are (fresh, or restored when a publish folder had to be refreshed); the rest run, up to `jobs`
 * at a time, the earliest ready stage first (so `--jobs 1` runs in a fixed order), each into a
 * temp folder that becomes its cache entry only on success. A failed stage leaves no entry and
 * its dependents are skipped; independent stages still complete.
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
  const forced = (stage: PlannedStage) => options.forced?.(stage) ?? false;
  const known = new Set(stages);
  for (const stage of stages) {
    const missing = Object.values(stage.inputs).find((input) => !known.has(input));
    if (missing) {
      throw new Error(`Cannot run stage ${stage.id} as its input ${missing.id} is not in the plan`);
    }
  }
  await removeStaleTemps(layout);
  const results = new Map<PlannedStage, StageResult>();
  const assessments = new Map<PlannedStage, Assessment>();
  const running = new Map<PlannedStage, Promise<void>>();
  const waiting = [...stages];
  const inputResults = (stage: PlannedStage) =>
    Object.entries(stage.inputs).map(([name, input]) => [name, results.get(input)] as const);
  const isReady = (stage: PlannedStage) =>
    inputResults(stage).every(([, r]) => r !== undefined && r.digest !== undefined);

  while (waiting.length > 0 || running.size > 0) {
    // Every stage whose inputs are done is assessed now; entries are checked concurrently.
    const ready = waiting.filter((s) => !assessments.has(s) && isReady(s));
    await Promise.all(ready.map(async (stage) => {
      const digests = Object.fromEntries(inputResults(stage).map(([n, r]) => [n, r!.digest]));
      assessments.set(stage, await assessStage(layout, stage, digests, forced(stage)));
    }));
    let settled = false;
    for (const stage of [...waiting]) {
      const inputs = inputResults(stage);
      if (inputs.some(([, r]) => r === undefined)) continue;
      const settle = (result: StageResult) => {
        waiting.splice(waiting.indexOf(stage), 1);
        results.set(stage, result);
        settled = true;
      };
      const broken = inputs.find(([, r]) => r!.digest === undefined)?.[1];
      if (broken) {
        settle({
          stage,
          outcome: "skipped",
          seconds: 0,
          reasons: [],
          error: `input ${broken.stage.id} did not complete`,
        });
        continue;
      }
      const assessment = assessments.get(stage);
      if (assessment === undefined) continue; // its inputs completed just now: assessed next round
      const { check, fingerprint, object } = assessment;
      if (assessment.fresh && check?.ok) {
        const copied = await publishStage(stage, check.manifest, check.dir);
        await rememberStage(layout, stage, fingerprint!, object!);
        settle({
          stage,
          outcome: copied ? "restored" : "fresh",
          seconds: 0,
          reasons: [],
          fingerprint,
          digest: outputDigest(check.manifest.files),
        });
      } else if (signal.aborted) {
        settle({
          stage,
          outcome: "skipped",
          seconds: 0,
          reasons: assessment.reasons,
          error: "interrupted",
        });
      } else if (running.size < jobs) {
        waiting.splice(waiting.indexOf(stage), 1);
        const inputFingerprints = Object.fromEntries(inputs.map(([n, r]) => [n, r!.fingerprint!]));
        running.set(
          stage,
          computeStage(
            {
              stage,
              fingerprint: fingerprint!,
              object: object!,
              inputFingerprints,
              reasons: assessment.reasons,
            },
            {
              layout,
              executor,
              reporter,
              signal,
              recompute: forced(stage) || stage.untracked.length > 0,
            },
          ).then((r) => {
            results.set(stage, r);
            running.delete(stage);
          }),
        );
      }
    }
    if (!settled && running.size > 0) await Promise.race(running.values());
    else if (!settled && running.size === 0 && waiting.length > 0) {
      throw new Error(`Cannot run stage ${waiting[0].id} as its inputs form a cycle`);
    }
  }
  return stages.map((s) => results.get(s)!);
}
