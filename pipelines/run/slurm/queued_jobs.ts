import type { CacheLayout } from "../../cache/cache_layout.ts";
import { ENDED_STATES, type SlurmCommands, slurmCommands } from "./slurm_commands.ts";
import { readSubmissions } from "./slurm_submissions.ts";

/** A recorded job the queue still lists as pending or running. */
export interface QueuedStage {
  /** The stage id. */
  id: string;
  job: string;
  /** `PENDING`, `RUNNING`, … */
  state: string;
  /** The pending reason, or the nodes it runs on. */
  detail: string;
  /** When its pipeline submitted it (ISO). */
  submitted: string;
}

/**
 * The jobs recorded in the cache (by pipelines run with the Slurm executor, detached or still
 * running) that the queue lists as not ended, in submission order; only those of stages with
 * the given `keys` when given.
 * @returns the jobs, or `{ error }` when the queue cannot be asked; no submissions: `[]`
 *   without asking.
 */
export async function queuedStages(
  layout: CacheLayout,
  options: { keys?: { has(key: string): boolean }; commands?: SlurmCommands } = {},
): Promise<QueuedStage[] | { error: string }> {
  const commands = options.commands ?? slurmCommands;
  const jobs = (await readSubmissions(layout)).flatMap((s) => s.jobs)
    .filter((job) => options.keys?.has(job.key) ?? true);
  if (jobs.length === 0) return [];
  let queue;
  try {
    queue = await commands.squeue(jobs.map((j) => j.job));
  } catch (error) {
    return { error: (error as Error).message };
  }
  return jobs.flatMap((job) => {
    const queued = queue.get(job.job);
    if (!queued || ENDED_STATES.has(queued.state)) return [];
    const running = queued.state === "RUNNING" || queued.state === "COMPLETING";
    return [{
      id: job.id,
      job: job.job,
      state: queued.state,
      detail: running ? queued.nodes : queued.reason,
      submitted: job.submitted,
    }];
  });
}
