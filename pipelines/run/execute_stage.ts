import type { ProgressUpdate, StageContext, StageModule } from "../types.ts";

/** A stage to execute: its module and the data part of its context (what can cross a process). */
export interface StageJob {
  module: string;
  outDir: string;
  inputs: Record<string, string>;
  params: StageContext["params"];
  workDir: string;
  runtime: StageContext["runtime"];
}

/** Callbacks the runner gives an executor. */
export interface StageHooks {
  log: (line: string) => void;
  progress: (update: ProgressUpdate) => void;
  signal: AbortSignal;
}

/** Runs a stage somewhere (this process or a child); rejects when the stage fails. */
export type StageExecutor = (job: StageJob, hooks: StageHooks) => Promise<void>;

/**
 * Imports the stage module in this process and awaits its `run(ctx)`.
 * @throws {Error} when the module has no `run` export, or whatever the stage throws.
 */
export async function executeInProcess(job: StageJob, hooks: StageHooks): Promise<void> {
  const module = await import(job.module) as Partial<StageModule>;
  if (typeof module.run !== "function") {
    throw new Error(`${job.module} does not export 'async function run(ctx)'`);
  }
  await module.run({ ...job, log: hooks.log, progress: hooks.progress, signal: hooks.signal });
}
