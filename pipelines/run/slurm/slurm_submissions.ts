/**
 * Where a pipeline's Slurm jobs are recorded: `<cache>/slurm/<submission>/` holds
 * `submission.json` (who submitted, when, from where), `jobs.jsonl` (one line per job, appended
 * as it is submitted) and each job's files (`slurm_job.ts`). `status` lists the jobs still in
 * the queue from these records, and a later pipeline attaches to them instead of submitting
 * the same stage again.
 * @module
 */
import { join } from "node:path";
import type { CacheLayout } from "../../cache/cache_layout.ts";
import { readJson } from "./slurm_job.ts";

/** One submitted job. */
export interface JobRecord {
  /** The stage's key. */
  key: string;
  /** The stage's id and label. */
  id: string;
  label: string;
  /** Slurm's job id. */
  job: string;
  /** The job's file stem in the submission folder. */
  stem: string;
  submitted: string;
}

/** `submission.json`. */
export interface SubmissionInfo {
  format: 1;
  started: string;
  host: string;
  pid: number;
  cwd: string;
  /** True once the submitting pipeline left the jobs running on purpose (`--detach`). */
  detached?: boolean;
}

/** A submission folder and what it records. */
export interface Submission {
  dir: string;
  info: SubmissionInfo;
  jobs: JobRecord[];
}

/** `<cache>/slurm`. */
export function slurmRoot(layout: CacheLayout): string {
  return join(layout.root, "slurm");
}

/** Creates a new submission folder for this process. */
export async function createSubmission(layout: CacheLayout): Promise<Submission> {
  const started = new Date();
  const stamp = started.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const dir = join(slurmRoot(layout), `${stamp}-${Deno.hostname()}-${Deno.pid}`);
  await Deno.mkdir(dir, { recursive: true });
  const info: SubmissionInfo = {
    format: 1,
    started: started.toISOString(),
    host: Deno.hostname(),
    pid: Deno.pid,
    cwd: Deno.cwd(),
  };
  await Deno.writeTextFile(join(dir, "submission.json"), JSON.stringify(info) + "\n");
  return { dir, info, jobs: [] };
}

/** Appends a job to the submission's `jobs.jsonl` (one write: a crash loses at most that line). */
export async function recordJob(submission: Submission, record: JobRecord): Promise<void> {
  submission.jobs.push(record);
  await Deno.writeTextFile(join(submission.dir, "jobs.jsonl"), JSON.stringify(record) + "\n", {
    append: true,
  });
}

/** Marks a submission as left running on purpose. */
export async function markDetached(submission: Submission): Promise<void> {
  submission.info.detached = true;
  await Deno.writeTextFile(
    join(submission.dir, "submission.json"),
    JSON.stringify(submission.info) + "\n",
  );
}

/** Every submission recorded in the cache, oldest first (unreadable ones are skipped). */
export async function readSubmissions(layout: CacheLayout): Promise<Submission[]> {
  const submissions: Submission[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(slurmRoot(layout)));
  } catch {
    return [];
  }
  for (
    const entry of entries.filter((e) => e.isDirectory).sort((a, b) => a.name < b.name ? -1 : 1)
  ) {
    const dir = join(slurmRoot(layout), entry.name);
    const info = await readJson<SubmissionInfo>(join(dir, "submission.json"));
    if (info?.format !== 1) continue;
    const text = await Deno.readTextFile(join(dir, "jobs.jsonl")).catch(() => "");
    const jobs: JobRecord[] = [];
    for (const line of text.split("\n")) {
      try {
        const record = JSON.parse(line) as JobRecord;
        if (typeof record.job === "string" && typeof record.key === "string") jobs.push(record);
      } catch {
        // A line cut short by a crash.
      }
    }
    submissions.push({ dir, info, jobs });
  }
  return submissions;
}
