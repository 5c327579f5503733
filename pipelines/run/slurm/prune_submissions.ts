import { rm } from "node:fs/promises";
import { join } from "node:path";
import { ENDED_STATES, type SlurmCommands } from "./slurm_commands.ts";
import { readJson } from "./slurm_job.ts";
import { jobPaths } from "./slurm_job.ts";
import type { Submission } from "./slurm_submissions.ts";
import type { TaskResult } from "../task_result.ts";

/** How long the folder of a submission with failed jobs is kept (their logs), in ms. */
const KEEP_FAILED_MS = 7 * 24 * 3600 * 1000;

/**
 * How long a submission's files must have been left alone before it is judged (ms): the
 * pipeline that submitted it may still be reading its last results, on this machine or another.
 */
const QUIET_MS = 5 * 60 * 1000;

/** The newest modification time of the files in `dir` (ms), 0 when it cannot be read. */
async function lastChange(dir: string): Promise<number> {
  let newest = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      const mtime = (await Deno.stat(join(dir, entry.name)).catch(() => null))?.mtime;
      newest = Math.max(newest, mtime?.getTime() ?? 0);
    }
  } catch {
    return 0;
  }
  return newest;
}

/**
 * Removes the folders of earlier submissions whose jobs have all ended and whose files have not
 * changed for five minutes: when every job left a good result, or after a week when some failed
 * (their logs are what the failure messages pointed at). The others stay (and stay in `list`).
 * @returns the submissions left.
 */
export async function pruneSubmissions(
  list: Submission[],
  commands: SlurmCommands,
): Promise<Submission[]> {
  const ids = list.flatMap((s) => s.jobs.map((j) => j.job));
  let queue;
  try {
    queue = await commands.squeue(ids);
  } catch {
    return list; // Without the queue nothing can be known to have ended.
  }
  const kept: Submission[] = [];
  for (const submission of list) {
    const live = submission.jobs.some((j) => {
      const state = queue.get(j.job)?.state;
      return state !== undefined && !ENDED_STATES.has(state);
    });
    if (live || Date.now() - await lastChange(submission.dir) < QUIET_MS) {
      kept.push(submission);
      continue;
    }
    let good = true;
    for (const job of submission.jobs) {
      const result = await readJson<TaskResult>(jobPaths(submission.dir, job.stem).result);
      if (result?.outcome !== "run" && result?.outcome !== "fresh") good = false;
    }
    const old = Date.now() - Date.parse(submission.info.started) > KEEP_FAILED_MS;
    if (good || old) await rm(submission.dir, { recursive: true, force: true });
    else kept.push(submission);
  }
  list.splice(0, list.length, ...kept);
  return kept;
}
