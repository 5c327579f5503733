import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { assessStage } from "./assess_stage.ts";
import type { CacheLayout } from "./cache_layout.ts";
import { abandonEntry, commitEntry, removeStaleTemps, startEntry } from "./cache_entry.ts";
import { executeInProcess } from "./execute_stage.ts";
import type { StageExecutor } from "./execute_stage.ts";
import type { Manifest } from "./manifest.ts";
import { silentReporter } from "./progress_reporter.ts";
import type { Reporter } from "./progress_reporter.ts";
import { publishOutputs } from "./publish_outputs.ts";
import { executeInChild } from "./spawn_stage.ts";
import type { PlannedStage } from "./stage_graph.ts";
import { readStageRecord, writeStageRecord } from "./stage_record.ts";

/** What happened to a stage: fresh (cached), restored (cached, published anew), run, failed, skipped (an input failed). */
export type Outcome = "fresh" | "restored" | "run" | "failed" | "skipped";

/** One stage's result. */
export interface StageResult {
  stage: PlannedStage;
  outcome: Outcome;
  /** Wall time spent on the stage in this invocation (checks, running, publishing). */
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
  /** Aborting stops running stages (they fail) and starts no new ones. */
  signal?: AbortSignal;
  /** Overrides how stages execute (tests). Default: in-process or child process per `isolate`. */
  executor?: StageExecutor;
}

/** A counting semaphore for `--jobs`. */
function slots(count: number) {
  let free = count;
  const waiting: (() => void)[] = [];
  return {
    async acquire() {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

/** `train:x (run x)` for failure messages. */
export function describeStage(stage: PlannedStage): string {
  return stage.runs.length ? `${stage.id} (run ${stage.runs.join(", ")})` : stage.id;
}

/**
 * Brings every stage up to date in dependency order: verified cache entries are used as they are
 * (fresh, or restored when a publish folder had to be refreshed); the rest run, up to `jobs` at a
 * time, each into a temp folder that becomes its cache entry only on success. A failed stage
 * leaves no entry and its dependents are skipped; independent stages still complete.
 * @returns one result per stage, in the order given.
 */
export async function runPipeline(
  stages: readonly PlannedStage[],
  options: RunPipelineOptions,
): Promise<StageResult[]> {
  const { layout } = options;
  const jobs = options.jobs ?? 1;
  const isolate = options.isolate ?? jobs > 1;
  const executor = options.executor ?? (isolate ? executeInChild : executeInProcess);
  const reporter = options.reporter ?? silentReporter;
  const signal = options.signal ?? new AbortController().signal;
  const pool = slots(jobs);
  await removeStaleTemps(layout);
  const done = new Map<PlannedStage, Promise<StageResult>>();

  const publishAll = async (stage: PlannedStage, manifest: Manifest, dir: string) => {
    let copied = false;
    for (const target of stage.publish) {
      if (await publishOutputs(join(dir, "out"), manifest.files, target) === "copied") {
        copied = true;
      }
    }
    return copied;
  };
  // Records are rewritten only when they change, so a fully cached rerun writes nothing.
  const remember = (stage: PlannedStage) =>
    Promise.all(stage.ids.map(async (id) => {
      if ((await readStageRecord(layout, id))?.fingerprint === stage.fingerprint) return;
      await writeStageRecord(layout, { id, fingerprint: stage.fingerprint, object: stage.object });
    }));

  const settle = async (stage: PlannedStage): Promise<StageResult> => {
    const upstream = await Promise.all(Object.values(stage.inputs).map((s) => done.get(s)!));
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const assessment = await assessStage(layout, stage, options.forced?.(stage) ?? false);
    if (assessment.check.ok && assessment.fresh) {
      const copied = await publishAll(stage, assessment.check.manifest, assessment.check.dir);
      await remember(stage);
      return { stage, outcome: copied ? "restored" : "fresh", seconds: seconds(), reasons: [] };
    }
    const broken = upstream.find((r) => r.outcome === "failed" || r.outcome === "skipped");
    if (broken) {
      return {
        stage,
        outcome: "skipped",
        seconds: 0,
        reasons: assessment.reasons,
        error: `input ${broken.stage.id} did not complete`,
      };
    }
    await pool.acquire();
    // Time spent waiting for a free slot is not the stage's time.
    const begun = performance.now();
    const elapsed = () => (performance.now() - begun) / 1000;
    try {
      if (signal.aborted) throw new Error("interrupted");
      const pending = await startEntry(layout, stage.fingerprint);
      const log = (line: string) => {
        reporter.log(stage.id, line);
        appendFileSync(pending.logFile, line + "\n");
      };
      log(`running: ${assessment.reasons.join("; ")}`);
      const begin = new Date();
      try {
        await executor({
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
        }, { log, progress: (update) => reporter.progress(stage.id, update), signal });
      } catch (error) {
        await abandonEntry(pending);
        const message = error instanceof Error ? error.message : String(error);
        return {
          stage,
          outcome: "failed",
          seconds: elapsed(),
          reasons: assessment.reasons,
          error: `Stage ${describeStage(stage)} failed: ${message}`,
        };
      } finally {
        reporter.done(stage.id);
      }
      const manifest = await commitEntry(layout, pending, {
        fingerprint: stage.fingerprint,
        id: stage.id,
        object: stage.object,
        started: begin,
        seconds: elapsed(),
      });
      await publishAll(stage, manifest, layout.entry(stage.fingerprint));
      await remember(stage);
      return { stage, outcome: "run", seconds: elapsed(), reasons: assessment.reasons };
    } finally {
      pool.release();
    }
  };

  for (const stage of stages) done.set(stage, settle(stage));
  return await Promise.all(stages.map((s) => done.get(s)!));
}
