import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { CacheLayout } from "../../cache/cache_layout.ts";
import type { ExecutorSettings } from "../../config/executor_schema.ts";
import { hashStageCode } from "../../hashing/code_hash.ts";
import type { StageExecutor, SubmitOptions } from "../stage_executor.ts";
import type { StageTask } from "../stage_task.ts";
import { jobScript, sbatchArgs } from "./sbatch_args.ts";
import { ENDED_STATES, type SlurmCommands, slurmCommands } from "./slurm_commands.ts";
import { SlurmExecution } from "./slurm_execution.ts";
import { jobPaths, type SlurmJobFile } from "./slurm_job.ts";
import { NODE_ENTRY } from "./slurm_stage.ts";
import {
  createSubmission,
  markDetached,
  readSubmissions,
  recordJob,
  type Submission,
} from "./slurm_submissions.ts";
import { pruneSubmissions } from "./prune_submissions.ts";

/** Options of {@linkcode slurmExecutor}. */
export interface SlurmExecutorOptions {
  layout: CacheLayout;
  settings: ExecutorSettings;
  /** Stage kinds that need little (the project's `lightStageKinds`). Default: none. */
  lightKinds?: ReadonlySet<string>;
  /** Default: the real `sbatch`, `squeue`, `scancel`. */
  commands?: SlurmCommands;
  /** The checkout the jobs run in. Default: the working folder. */
  cwd?: string;
}

/** `003-train-lenet`: a job's file stem, readable and safe as a file name. */
function jobStem(index: number, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._=-]+/g, "-").slice(0, 80);
  return `${String(index).padStart(3, "0")}-${safe}`;
}

/**
 * Submits each stage task as an `sbatch` job that runs `slurm_stage.ts` on a node, in this
 * checkout, against this cache (both on a file system the nodes share). Dependents are
 * submitted at once with `--dependency=afterok:` on their inputs' jobs; each job finds its
 * inputs' entries through their keys' pointers, so it decides on the node whether it must run
 * at all. One poll loop asks the queue about every job in flight and streams their logs and
 * progress; `cancel` is `scancel`. A stage still queued or running from an earlier, detached
 * pipeline is attached to rather than submitted again.
 * @throws {Error} when the engine's own code cannot be hashed.
 */
export async function slurmExecutor(options: SlurmExecutorOptions): Promise<StageExecutor> {
  const { layout, settings } = options;
  const commands = options.commands ?? slurmCommands;
  const cwd = options.cwd ?? Deno.cwd();
  const deno = settings.deno ?? Deno.execPath();
  const entry = fileURLToPath(NODE_ENTRY);
  const engine = (await hashStageCode([NODE_ENTRY])).files;
  const earlier = await readSubmissions(layout);
  await pruneSubmissions(earlier, commands);
  let submission: Submission | undefined;
  const watched = new Set<SlurmExecution>();
  const ours: SlurmExecution[] = [];
  let polling = false;
  const toCancel = new Set<string>();
  let flush: Promise<void> | undefined;

  const cancelJob = (job: string) => {
    toCancel.add(job);
    // Cancels asked for together (an interrupted pipeline) go to one scancel.
    flush ??= new Promise<void>((r) => setTimeout(r, 0)).then(async () => {
      const ids = [...toCancel];
      toCancel.clear();
      flush = undefined;
      await commands.scancel(ids);
    });
    return flush;
  };

  const poll = async () => {
    if (polling) return;
    polling = true;
    let warned = false;
    try {
      while (watched.size > 0) {
        await new Promise((r) => setTimeout(r, settings.poll_seconds * 1000));
        const jobs = [...watched];
        let queue;
        try {
          queue = await commands.squeue(jobs.map((j) => j.job));
        } catch (error) {
          // The controller may be restarting: keep watching the result files meanwhile.
          if (!warned) jobs[0]?.options.log(`cannot ask the queue: ${(error as Error).message}`);
          warned = true;
        }
        for (const job of jobs) {
          try {
            await job.update(queue?.get(job.job), queue !== undefined);
          } catch (error) {
            // Unexpected (its files are read defensively): say so, look again next time.
            job.options.log(`cannot follow ${job.label}: ${(error as Error).message}`);
          }
          if (job.ended) watched.delete(job);
        }
      }
    } finally {
      polling = false;
    }
  };

  const watch = (execution: SlurmExecution) => {
    watched.add(execution);
    poll();
    return execution;
  };

  return {
    name: "slurm",
    slots: Number.POSITIVE_INFINITY,
    queuesDependents: true,

    async attach(task: StageTask, submit: SubmitOptions) {
      const found = earlier.flatMap((s) => s.jobs.map((job) => ({ s, job })))
        .filter(({ job }) => job.key === task.key).at(-1);
      if (!found) return undefined;
      const queued = (await commands.squeue([found.job.job])).get(found.job.job);
      if (!queued || ENDED_STATES.has(queued.state)) return undefined;
      submit.log(
        `attached to slurm job ${found.job.job}, submitted ${found.s.info.started} by an earlier pipeline`,
      );
      return watch(
        new SlurmExecution(found.job.job, jobPaths(found.s.dir, found.job.stem), submit, cancelJob),
      );
    },

    async submit(task: StageTask, submit: SubmitOptions) {
      submission ??= await createSubmission(layout);
      const stem = jobStem(submission.jobs.length + 1, task.id);
      const paths = jobPaths(submission.dir, stem);
      const job: SlurmJobFile = {
        format: 1,
        task,
        cache: layout.root,
        engine,
        deno: Deno.version.deno,
        result: paths.result,
        progress: paths.progress,
      };
      await Deno.writeTextFile(paths.job, JSON.stringify(job) + "\n");
      await Deno.writeTextFile(
        paths.script,
        jobScript(`brings ${task.label} up to date`, deno, [entry, paths.job]),
      );
      const after = submit.after.flatMap((e) =>
        e instanceof SlurmExecution && !e.ended ? [e.job] : []
      );
      const args = sbatchArgs(task, settings, {
        light: options.lightKinds?.has(task.kind) ?? false,
        paths,
        cwd,
        after,
      });
      const id = await commands.sbatch(args, paths.script);
      await recordJob(submission, {
        key: task.key,
        id: task.id,
        label: task.label,
        job: id,
        stem,
        submitted: new Date().toISOString(),
      });
      submit.log(
        `submitted as slurm job ${id}${
          after.length ? ` (after job${after.length > 1 ? "s" : ""} ${after.join(", ")})` : ""
        }`,
      );
      const execution = new SlurmExecution(id, paths, submit, cancelJob);
      ours.push(execution);
      return watch(execution);
    },

    async close({ detached }) {
      await flush;
      if (!submission) {
        watched.clear();
        return;
      }
      if (detached) {
        // The jobs go on without this process: stop watching them.
        watched.clear();
        return await markDetached(submission);
      }
      const results = await Promise.all(ours.map((e) => e.result));
      // Failed jobs keep their logs (their messages point at them); otherwise nothing is left.
      if (results.every((r) => r.outcome === "run" || r.outcome === "fresh")) {
        await rm(submission.dir, { recursive: true, force: true });
      }
    },
  };
}
