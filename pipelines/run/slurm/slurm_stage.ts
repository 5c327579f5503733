/**
 * What a Slurm job runs on its node: `deno run -A --unstable-webgpu slurm_stage.ts <job.json>`,
 * in the same checkout (a shared file system) as the pipeline that submitted it. Refuses to
 * compute when this node's Deno or the engine's code differ from the submitter's (the stage's
 * own code is checked by `runStageTask`), then brings the stage up to date from its task alone
 * and writes the result where the submitter looks for it. Log lines go to stdout (the job's
 * log); progress to a small JSON file. Exit code 0 when the stage ran or was fresh.
 * @module
 */
import { cacheLayout } from "../../cache/cache_layout.ts";
import { hashStageCode } from "../../hashing/code_hash.ts";
import type { ProgressUpdate } from "../../types.ts";
import { executeInProcess } from "../execute_stage.ts";
import { runStageTask } from "../run_stage_task.ts";
import { useSlurmAllocation } from "../share_cores.ts";
import type { TaskResult } from "../task_result.ts";
import { readJson, type SlurmJobFile, writeJsonAtomic } from "./slurm_job.ts";

/** This module: the node's entry point, whose code set the submitter hashes too. */
export const NODE_ENTRY = new URL(import.meta.url);

/** How often the progress file is rewritten at most (ms). */
const PROGRESS_INTERVAL_MS = 1000;

/** Why this node must not run the job, or undefined when it may. */
async function refusal(job: SlurmJobFile): Promise<string | undefined> {
  if (job.deno !== Deno.version.deno) {
    return `this node runs Deno ${Deno.version.deno}, the pipeline was planned with Deno ${job.deno}: install that version on the nodes or set executor.deno`;
  }
  const { files } = await hashStageCode([NODE_ENTRY]);
  const changed = Object.keys({ ...files, ...job.engine }).filter((f) =>
    files[f] !== job.engine[f]
  );
  if (changed.length > 0) {
    return `the checkout's engine code is not what the pipeline was planned with (${changed[0]}${
      changed.length > 1 ? `; +${changed.length - 1} more` : ""
    }): run the pipeline again to plan with the current code`;
  }
  return undefined;
}

/** Runs the job described by `jobFile`; returns the exit code. */
export async function runSlurmJob(jobFile: string): Promise<number> {
  const job = await readJson<SlurmJobFile>(jobFile);
  if (job?.format !== 1) {
    console.log(`cnnlab: cannot read the job file ${jobFile}`);
    return 2;
  }
  const node = Deno.hostname();
  const jobId = Deno.env.get("SLURM_JOB_ID") ?? "?";
  console.log(`cnnlab: ${job.task.label} on ${node} (slurm job ${jobId}, pid ${Deno.pid})`);
  const threads = useSlurmAllocation();
  if (threads !== undefined) console.log(`cnnlab: ${threads}`);
  const begun = performance.now();
  let result: TaskResult;
  const refused = await refusal(job);
  if (refused !== undefined) {
    result = { outcome: "failed", seconds: 0, error: refused };
  } else {
    const controller = new AbortController();
    // scancel sends SIGTERM (then SIGKILL after the cluster's KillWait): stop the stage.
    Deno.addSignalListener("SIGTERM", () => controller.abort());
    let last = 0;
    let pending: ProgressUpdate | undefined;
    const progress = (update: ProgressUpdate) => {
      pending = update;
      const now = performance.now();
      if (now - last < PROGRESS_INTERVAL_MS && update.done < update.total) return;
      last = now;
      writeJsonAtomic(job.progress, update).catch(() => {});
    };
    result = await runStageTask(job.task, {
      layout: cacheLayout(job.cache),
      runJob: executeInProcess,
      log: (line) => console.log(line),
      progress,
      signal: controller.signal,
    });
    if (pending) await writeJsonAtomic(job.progress, pending).catch(() => {});
  }
  const { manifest: _manifest, ...shown } = result as TaskResult & { manifest?: unknown };
  await writeJsonAtomic(job.result, {
    ...shown,
    seconds: "error" in result ? (performance.now() - begun) / 1000 : result.seconds,
  });
  console.log(
    "error" in result
      ? `cnnlab: ${result.outcome}: ${result.error}`
      : `cnnlab: ${result.outcome} as ${result.fingerprint}`,
  );
  return "error" in result ? 1 : 0;
}

if (import.meta.main) Deno.exit(await runSlurmJob(Deno.args[0]));
