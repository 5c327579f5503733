import type { CacheLayout } from "../cache/cache_layout.ts";
import { removeStaleTemps } from "../cache/cache_entry.ts";
import { silentReporter } from "../cli/progress_reporter.ts";
import type { Reporter } from "../cli/progress_reporter.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { type Assessment, assessStage } from "./assess_stage.ts";
import { childProcessExecutor } from "./child_process_executor.ts";
import { inProcessExecutor } from "./in_process_executor.ts";
import { settleEntry, settleExecution } from "./settle_stage.ts";
import type { StageExecution, StageExecutor } from "./stage_executor.ts";
import type { StageResult } from "./stage_result.ts";
import { stageTask } from "./stage_task.ts";

export type { Outcome, StageResult } from "./stage_result.ts";
export { describeStage } from "./stage_result.ts";

/** Options of {@linkcode runPipeline}. */
export interface RunPipelineOptions {
  layout: CacheLayout;
  /** How many stages may run at once with the default executor. Default: 1. */
  jobs?: number;
  /** Run each stage in a child process. Default: true when `jobs` > 1 (TF.js state is global). */
  isolate?: boolean;
  /** Stages to recompute even when cached. Default: none. */
  forced?: (stage: PlannedStage) => boolean;
  /** Where logs and progress go. Default: silent. */
  reporter?: Reporter;
  /** Aborting cancels stages in flight (they fail) and starts no new ones (they are skipped). */
  signal?: AbortSignal;
  /** Where the stages that must run run. Default: in-process, or child processes per `isolate`. */
  executor?: StageExecutor;
  /**
   * Return once every stage that must run has been handed over, leaving those still in flight
   * to the executor (outcome `submitted`). Only for executors that queue dependents. Default: false.
   */
  detach?: boolean;
}

interface InFlight {
  execution: StageExecution;
  reasons: string[];
  settled: Promise<void>;
}

/**
 * Brings every stage up to date in dependency order. A stage is assessed once its inputs are
 * done: its fingerprint holds the digests of its inputs' outputs, so an input that reran and
 * wrote the same bytes leaves it fresh (early cutoff). Verified cache entries are used as they
 * are (fresh, or restored when a publish folder had to be refreshed); the rest go to the
 * executor, up to its slots at a time, the earliest ready stage first (so `--jobs 1` runs in a
 * fixed order). An executor that queues dependents (a cluster) also gets the stages whose inputs
 * are still in flight, to wait for them itself and decide on its own once they are done.
 * A stage runs into a temp folder that becomes its cache entry only on success; a failed stage
 * leaves no entry, its dependents are skipped (cancelled if queued), independent stages complete.
 * @param stages every stage after its inputs, inputs included (as `buildStageGraph` returns).
 * @returns one result per stage, in the order given.
 * @throws {Error} when a stage's input is not in `stages`, or `detach` with an executor that
 *   does not queue.
 */
export async function runPipeline(
  stages: readonly PlannedStage[],
  options: RunPipelineOptions,
): Promise<StageResult[]> {
  const { layout } = options;
  const jobs = options.jobs ?? 1;
  const executor = options.executor ??
    ((options.isolate ?? jobs > 1)
      ? childProcessExecutor({ layout, jobs })
      : inProcessExecutor({ layout }));
  if (options.detach && !executor.queuesDependents) {
    throw new Error(`Cannot detach from the ${executor.name} executor: its stages end with it`);
  }
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
  // A temp folder's pid says whether its writer is alive only on the machine that wrote it: a
  // cluster's jobs write theirs on other machines, so their pipeline leaves temps alone.
  if (!executor.queuesDependents) await removeStaleTemps(layout);
  const results = new Map<PlannedStage, StageResult>();
  const assessments = new Map<PlannedStage, Assessment>();
  const inFlight = new Map<PlannedStage, InFlight>();
  const waiting = [...stages];
  const cancelAll = () => inFlight.forEach(({ execution }) => execution.cancel());
  signal.addEventListener("abort", cancelAll);
  const inputsOf = (stage: PlannedStage) => Object.entries(stage.inputs);
  const isDone = (stage: PlannedStage) => results.get(stage)?.digest !== undefined;
  const brokenInput = (stage: PlannedStage) =>
    inputsOf(stage).find(([, input]) => results.has(input) && !isDone(input))?.[1];
  const dependsOn = (stage: PlannedStage, upstream: PlannedStage): boolean =>
    Object.values(stage.inputs).some((i) => i === upstream || dependsOn(i, upstream));

  const settle = (stage: PlannedStage, result: StageResult) => {
    results.set(stage, result);
    if (result.digest !== undefined) return;
    // Queued dependents of a stage that did not complete must not run.
    for (const [other, flight] of inFlight) {
      if (dependsOn(other, stage)) flight.execution.cancel();
    }
  };

  const submit = async (stage: PlannedStage, reasons: string[], recompute: boolean) => {
    waiting.splice(waiting.indexOf(stage), 1);
    const done = Object.fromEntries(
      inputsOf(stage).map(([name, input]) => {
        const r = results.get(input);
        return [name, r?.digest ? { fingerprint: r.fingerprint!, digest: r.digest } : undefined];
      }),
    );
    const task = stageTask(stage, { done, recompute, reasons });
    const after = inputsOf(stage).flatMap(([, input]) => {
      const flight = inFlight.get(input);
      return flight ? [flight.execution] : [];
    });
    const submitOptions = {
      after,
      log: (line: string) => reporter.log(stage.id, line),
      progress: (update: Parameters<Reporter["progress"]>[1]) =>
        reporter.progress(stage.id, update),
      signal,
    };
    let execution: StageExecution;
    try {
      execution = await executor.attach?.(task, submitOptions) ??
        await executor.submit(task, submitOptions);
    } catch (error) {
      settle(stage, {
        stage,
        outcome: "failed",
        seconds: 0,
        reasons,
        error: `Cannot hand stage ${task.label} to the ${executor.name} executor: ${
          (error as Error).message
        }`,
      });
      return;
    }
    const settled = execution.result.then(async (ended) => {
      let result = await settleExecution(layout, stage, ended, {
        reasons,
        execution: execution.label,
      });
      const broken = brokenInput(stage);
      if (result.digest === undefined && broken) {
        result = { ...result, outcome: "skipped", error: `input ${broken.id} did not complete` };
      }
      reporter.done(stage.id);
      inFlight.delete(stage);
      settle(stage, result);
    });
    inFlight.set(stage, { execution, reasons, settled });
    if (signal.aborted) execution.cancel();
  };

  try {
    while (waiting.length > 0 || inFlight.size > 0) {
      // Every stage whose inputs are done is assessed now; entries are checked concurrently.
      const ready = waiting.filter((s) =>
        !assessments.has(s) && inputsOf(s).every(([, i]) => isDone(i))
      );
      await Promise.all(ready.map(async (stage) => {
        const digests = Object.fromEntries(
          inputsOf(stage).map(([name, input]) => [name, results.get(input)!.digest]),
        );
        assessments.set(stage, await assessStage(layout, stage, digests, forced(stage)));
      }));
      let progressed = false;
      for (const stage of [...waiting]) {
        const broken = brokenInput(stage);
        if (broken) {
          waiting.splice(waiting.indexOf(stage), 1);
          settle(stage, {
            stage,
            outcome: "skipped",
            seconds: 0,
            reasons: [],
            error: `input ${broken.id} did not complete`,
          });
          progressed = true;
          continue;
        }
        const assessment = assessments.get(stage);
        const recompute = forced(stage) || stage.untracked.length > 0;
        if (assessment?.fresh && assessment.check?.ok) {
          waiting.splice(waiting.indexOf(stage), 1);
          const { fingerprint, check } = assessment;
          const copied = await settleEntry(layout, stage, fingerprint!, check.manifest);
          settle(stage, {
            stage,
            outcome: copied ? "restored" : "fresh",
            seconds: 0,
            reasons: [],
            fingerprint,
            digest: outputDigest(check.manifest.files),
          });
          progressed = true;
        } else if (signal.aborted) {
          if (!assessment && inputsOf(stage).some(([, i]) => !results.has(i))) continue;
          waiting.splice(waiting.indexOf(stage), 1);
          settle(stage, {
            stage,
            outcome: "skipped",
            seconds: 0,
            reasons: assessment?.reasons ?? [],
            error: "interrupted",
          });
          progressed = true;
        } else if (inFlight.size >= executor.slots) {
          break;
        } else if (assessment) {
          await submit(stage, assessment.reasons, recompute);
          progressed = true;
        } else if (
          executor.queuesDependents &&
          inputsOf(stage).every(([, i]) => isDone(i) || inFlight.has(i)) &&
          inputsOf(stage).some(([, i]) => inFlight.has(i))
        ) {
          // Its inputs are queued or running: it goes to the queue now, after them, and
          // decides where it runs whether it must run at all.
          const pending = inputsOf(stage).filter(([, i]) => inFlight.has(i));
          const reasons = pending.map(([, i]) => `input ${i.id} runs first`);
          await submit(stage, reasons, recompute);
          progressed = true;
        }
      }
      if (options.detach && waiting.length === 0) break;
      if (progressed) continue;
      if (inFlight.size > 0) {
        await Promise.race([...inFlight.values()].map((f) => f.settled));
      } else if (waiting.length > 0) {
        throw new Error(`Cannot run stage ${waiting[0].id} as its inputs form a cycle`);
      }
    }
  } finally {
    signal.removeEventListener("abort", cancelAll);
  }
  for (const [stage, { execution, reasons }] of inFlight) {
    results.set(stage, {
      stage,
      outcome: "submitted",
      seconds: 0,
      reasons,
      execution: execution.label,
    });
  }
  await executor.close?.({ detached: inFlight.size > 0 });
  return stages.map((s) => results.get(s)!);
}
