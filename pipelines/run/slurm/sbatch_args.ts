import type { ExecutorSettings } from "../../config/executor_schema.ts";
import type { StageTask } from "../stage_task.ts";
import type { JobPaths } from "./slurm_job.ts";

/** What {@linkcode sbatchArgs} needs besides the settings. */
export interface SbatchArgsOptions {
  /** The stage's kind is one the project calls light (data, split, report): ask for little. */
  light: boolean;
  paths: JobPaths;
  /** The checkout the job runs in (the submitter's working folder, on a shared file system). */
  cwd: string;
  /** Job ids that must complete successfully first (the inputs still in flight). */
  after: readonly string[];
}

/**
 * The `sbatch` arguments of one stage's job: name, log, working folder, dependencies (a job
 * whose input fails is cancelled by Slurm, not left pending), and resources: the settings'
 * partition, time, memory, CPUs and generic resources for heavy stages (train, evaluate), the
 * `light` ones (one CPU, no GPU unless asked otherwise) for light stages; then `extra_args`.
 */
export function sbatchArgs(
  task: StageTask,
  settings: ExecutorSettings,
  options: SbatchArgsOptions,
): string[] {
  const args = [
    `--job-name=cnnlab:${task.id}`,
    `--output=${options.paths.log}`,
    // A job the cluster requeues (node failure) appends its second attempt to the same log.
    "--open-mode=append",
    `--chdir=${options.cwd}`,
    "--kill-on-invalid-dep=yes",
  ];
  if (options.after.length > 0) args.push(`--dependency=afterok:${options.after.join(":")}`);
  const { light } = settings;
  const resources = options.light
    ? {
      partition: light.partition ?? settings.partition,
      time: light.time ?? settings.time,
      mem: light.mem,
      cpus: light.cpus_per_task,
      gres: undefined,
    }
    : {
      partition: settings.partition,
      time: settings.time,
      mem: settings.mem,
      cpus: settings.cpus_per_task,
      gres: settings.gres,
    };
  if (resources.partition) args.push(`--partition=${resources.partition}`);
  if (resources.time) args.push(`--time=${resources.time}`);
  if (resources.mem) args.push(`--mem=${resources.mem}`);
  if (resources.cpus) args.push(`--cpus-per-task=${resources.cpus}`);
  if (resources.gres) args.push(`--gres=${resources.gres}`);
  return [...args, ...settings.extra_args];
}

/** Quotes a word for `sh`. */
function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The batch script: `deno run -A --unstable-webgpu <args…>` with the given Deno. */
export function jobScript(label: string, deno: string, args: readonly string[]): string {
  return [
    "#!/bin/sh",
    `# cnnlab: ${label.replaceAll("\n", " ")} (pipelines/run/slurm/).`,
    `exec ${[deno, "run", "-A", "--unstable-webgpu", ...args].map(shellWord).join(" ")}`,
    "",
  ].join("\n");
}
