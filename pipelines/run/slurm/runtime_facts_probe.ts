/**
 * Runtime facts resolved where the stages run: a pipeline submitted to Slurm asks a node of the
 * partition its train/evaluate jobs go to (with their resources: a GPU when `gres` asks for
 * one) what the project's `runtimeFacts` are there, so the backend in the stages' keys is the
 * node's, not the login machine's. The job runs the project's own entry point with the hidden
 * command {@linkcode RUNTIME_FACTS_COMMAND}; its answer is also kept in the cache for `status`.
 * @module
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CacheLayout } from "../../cache/cache_layout.ts";
import type { ExecutorSettings } from "../../config/executor_schema.ts";
import { canonicalJson } from "../../hashing/canonical_json.ts";
import { sha256 } from "../../hashing/sha256.ts";
import type { ExpandedRun, Json } from "../../types.ts";
import type { StageTask } from "../stage_task.ts";
import { jobScript, sbatchArgs } from "./sbatch_args.ts";
import { ENDED_STATES, type SlurmCommands, slurmCommands } from "./slurm_commands.ts";
import { tailOfFile } from "./slurm_execution.ts";
import { jobPaths, readJson, writeJsonAtomic } from "./slurm_job.ts";
import { slurmRoot } from "./slurm_submissions.ts";

/** The hidden command of the project's entry point that answers a probe. */
export const RUNTIME_FACTS_COMMAND = "__runtime-facts";

/** What the probe job is asked (`request.json`). */
export interface FactsRequest {
  format: 1;
  configs: { name: string; runs: ExpandedRun<unknown>[] }[];
  /** Where to write the {@linkcode FactsAnswer}. */
  answer: string;
}

/** What it answers: the facts of each config in order, or why the project refused. */
export type FactsAnswer = { facts: Json[]; node: string } | { error: string; node: string };

/** The last probe's answer, kept for `status` (`<cache>/slurm/runtime-facts.json`). */
export interface KeptFacts {
  /** Hash of what was asked: the runs and the resources of the nodes asked. */
  request: string;
  facts: Json[];
  node: string;
  job: string;
  at: string;
}

/** Options of {@linkcode probeRuntimeFacts}. */
export interface ProbeOptions {
  layout: CacheLayout;
  settings: ExecutorSettings;
  /** The project's entry point (a module whose main calls `runCli`). */
  entry: URL;
  configs: { name: string; runs: ExpandedRun<unknown>[] }[];
  /** Progress messages (`resolving the runtime facts on a node: slurm job 12`). */
  log: (line: string) => void;
  commands?: SlurmCommands;
}

/** The hash that says whether kept facts answer this question. */
export function factsRequestHash(
  settings: ExecutorSettings,
  configs: ProbeOptions["configs"],
): string {
  const { partition, gres, cpus_per_task, mem, extra_args } = settings;
  return sha256(canonicalJson({
    configs: configs.map((c) => ({ name: c.name, runs: c.runs })) as unknown as Json,
    nodes: { partition, gres, cpus_per_task, mem, extra_args } as unknown as Json,
    deno: Deno.version.deno,
  }));
}

const keptPath = (layout: CacheLayout) => join(slurmRoot(layout), "runtime-facts.json");

/** The kept answer for this question, if the last probe asked it. */
export async function keptRuntimeFacts(
  layout: CacheLayout,
  request: string,
): Promise<KeptFacts | undefined> {
  const kept = await readJson<KeptFacts>(keptPath(layout));
  return kept?.request === request ? kept : undefined;
}

/**
 * Submits one job with the train/evaluate resources (and `extra_args`, but no `--hold` or
 * `--begin`) that computes the runtime facts of every config on its node, waits for it as long
 * as the queue makes it wait, saying why (Ctrl-C or SIGTERM cancels it), and keeps the answer.
 * @returns the facts, one per config, and where they were resolved.
 * @throws {Error} when the job cannot be submitted, ends without an answer (with its log's
 *   tail), or the project refuses on the node (its message, e.g. a backend the node lacks).
 */
export async function probeRuntimeFacts(options: ProbeOptions): Promise<KeptFacts> {
  const { layout, settings } = options;
  const commands = options.commands ?? slurmCommands;
  const dir = join(slurmRoot(layout), `probe-${Deno.hostname()}-${Deno.pid}-${Date.now()}`);
  await Deno.mkdir(dir, { recursive: true });
  const paths = jobPaths(dir, "runtime-facts");
  const request: FactsRequest = { format: 1, configs: options.configs, answer: paths.result };
  await Deno.writeTextFile(paths.job, JSON.stringify(request) + "\n");
  const task = { id: "runtime-facts" } as StageTask;
  await Deno.writeTextFile(
    paths.script,
    jobScript("resolves the runtime facts", settings.deno ?? Deno.execPath(), [
      fileURLToPath(options.entry),
      RUNTIME_FACTS_COMMAND,
      paths.job,
    ]),
  );
  // Holds and start times are for the stages' jobs: the pipeline waits for this one.
  const probeSettings = {
    ...settings,
    extra_args: settings.extra_args.filter((a) => !/^(?:--hold|-H|--begin\b)/.test(a)),
  };
  const args = sbatchArgs(task, probeSettings, { light: false, paths, cwd: Deno.cwd(), after: [] });
  const job = await commands.sbatch(args, paths.script);
  options.log(`resolving the runtime facts on a node of the cluster: slurm job ${job}`);
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    commands.scancel([job]).catch(() => {});
  };
  Deno.addSignalListener("SIGINT", interrupt);
  Deno.addSignalListener("SIGTERM", interrupt);
  try {
    let endedPolls = 0;
    let lastShown = "";
    while (true) {
      await new Promise((r) => setTimeout(r, settings.poll_seconds * 1000));
      const answer = await readJson<FactsAnswer>(paths.result);
      if (answer !== undefined) {
        if ("error" in answer) throw new Error(`${answer.error} (on node ${answer.node})`);
        const kept = {
          request: factsRequestHash(settings, options.configs),
          facts: answer.facts,
          node: answer.node,
          job,
          at: new Date().toISOString(),
        };
        await writeJsonAtomic(keptPath(layout), kept);
        await rm(dir, { recursive: true, force: true });
        return kept;
      }
      if (interrupted) throw new Error("interrupted while resolving the runtime facts");
      const queued = (await commands.squeue([job]).catch(() => undefined))?.get(job);
      const state = queued?.state;
      const shown = queued &&
        `slurm job ${job} ${state!.toLowerCase()}${
          queued.reason && queued.reason !== "None" ? ` (${queued.reason})` : ""
        }`;
      if (shown && shown !== lastShown && !ENDED_STATES.has(state!)) options.log(shown);
      lastShown = shown ?? lastShown;
      if (state !== undefined && ENDED_STATES.has(state) && ++endedPolls >= 2) {
        const tail = (await tailOfFile(paths.log, 10)).map((l) => `\n  | ${l}`).join("");
        throw new Error(
          `Cannot resolve the runtime facts on the cluster: slurm job ${job} ended ${state} without an answer (log ${paths.log})${tail}`,
        );
      }
    }
  } finally {
    Deno.removeSignalListener("SIGINT", interrupt);
    Deno.removeSignalListener("SIGTERM", interrupt);
  }
}
