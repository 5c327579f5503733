import type { Json, ProgressUpdate, StageModule } from "../types.ts";

/** A stage to execute: its modules and the data part of its context (what can cross a process). */
export interface StageJob {
  /** The stage module (URL). */
  module: string;
  /** Name → URL of the further modules the stage uses (imported and handed over as ctx.uses). */
  uses: Record<string, string>;
  outDir: string;
  inputs: Record<string, string>;
  params: unknown;
  workDir: string;
  runtime: Json;
  fingerprint: string;
  inputFingerprints: Record<string, string>;
}

/** Callbacks the runner gives an executor. */
export interface StageHooks {
  log: (line: string) => void;
  progress: (update: ProgressUpdate) => void;
  signal: AbortSignal;
}

/**
 * Runs a stage's code with everything resolved (this process or a child); rejects when the
 * stage fails. The executors (`stage_executor.ts`) decide where and when; this is the last step.
 */
export type JobRunner = (job: StageJob, hooks: StageHooks) => Promise<void>;

/**
 * Imports the stage module and the modules it uses in this process and awaits its `run(ctx)`.
 * @throws {Error} when the module has no `run` export, or whatever the stage throws.
 */
export async function executeInProcess(job: StageJob, hooks: StageHooks): Promise<void> {
  const module = await import(job.module) as Partial<StageModule>;
  if (typeof module.run !== "function") {
    throw new Error(`${job.module} does not export 'async function run(ctx)'`);
  }
  const uses: Record<string, unknown> = {};
  for (const [name, url] of Object.entries(job.uses)) uses[name] = await import(url);
  const { module: _module, ...data } = job;
  await module.run({
    ...data,
    uses,
    log: hooks.log,
    progress: hooks.progress,
    signal: hooks.signal,
  });
}
