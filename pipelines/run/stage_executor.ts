/**
 * The executor interface: where and when the stages that must run are brought up to date. The
 * scheduler (`run_pipeline.ts`) plans, assesses and settles stages; an executor takes a
 * {@linkcode StageTask}, runs it somewhere (this process, a child process, a cluster job) and
 * reports how it went. Implementations: `in_process_executor.ts`, `child_process_executor.ts`,
 * `slurm/slurm_executor.ts`.
 * @module
 */
import type { ProgressUpdate } from "../types.ts";
import type { StageTask } from "./stage_task.ts";
import type { TaskResult } from "./task_result.ts";

/** Where a submitted stage stands. */
export type ExecutionState = "queued" | "running" | "ended";

/** One submitted stage. */
export interface StageExecution {
  /** How the user finds it: `in-process`, `pid 4242`, `slurm job 17`. */
  readonly label: string;
  /** Settles once the stage has ended, however it ended (never rejects). */
  readonly result: Promise<TaskResult>;
  /** Where it stands now, with a short detail (`waiting for its inputs (Dependency)`). */
  state(): { state: ExecutionState; detail?: string };
  /** Asks it to stop (or never start); `result` settles afterwards. */
  cancel(): Promise<void>;
  /** The last `lines` lines of its log (what the stage and the machinery around it printed). */
  logTail(lines: number): Promise<string[]>;
}

/** What the scheduler gives with a task. */
export interface SubmitOptions {
  /**
   * Executions of inputs that have not ended yet. Non-empty only for executors that
   * `queuesDependents`: the task must not start before they succeed, and must not run at all
   * when one fails.
   */
  after: readonly StageExecution[];
  /** The stage's log lines (as they come, or when the executor reads them). */
  log: (line: string) => void;
  progress: (update: ProgressUpdate) => void;
  /** Aborted when the pipeline is interrupted: in-flight stages should stop. */
  signal: AbortSignal;
}

/** Runs stage tasks. */
export interface StageExecutor {
  /** `in-process`, `child processes`, `slurm`. */
  readonly name: string;
  /** How many tasks may be in flight at once (queued and running together). */
  readonly slots: number;
  /**
   * True when a task may be submitted before its inputs have ended: it waits for `after` itself
   * (a cluster's job dependencies), so a whole graph can be handed over at once.
   */
  readonly queuesDependents: boolean;
  /** Hands a task over. Rejects only when it could not be handed over at all. */
  submit(task: StageTask, options: SubmitOptions): Promise<StageExecution>;
  /** An execution of this task still in flight from an earlier pipeline (detached), if any. */
  attach?(task: StageTask, options: SubmitOptions): Promise<StageExecution | undefined>;
  /**
   * Called once when the pipeline is done with it; `detached` when stages are still in flight
   * on purpose (they keep running; their records stay for `status` and later pipelines).
   */
  close?(options: { detached: boolean }): Promise<void>;
}
