/**
 * The `executor:` section of a config: where the stages that must run run. `local` (the
 * default) runs them in this process, or in child processes with `--jobs N`; `slurm` submits
 * each as an `sbatch` job (pipelines/run/slurm/). Every key can be overridden on the command
 * line (`--executor`, `--partition`, `--time`, `--mem`, `--cpus-per-task`, `--gres`,
 * `--sbatch-arg`). Not part of any stage's key: where a stage runs does not change its outputs.
 * @module
 */
import { z } from "zod";

/** Slurm's time formats: `minutes`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`. */
const slurmTime = z.string().regex(/^(?:\d+(?::\d{1,2}){0,2}|\d+-\d{1,2}(?::\d{1,2}){0,2})$/, {
  error: "must be a Slurm time limit: minutes, HH:MM:SS or D-HH:MM:SS",
});

/** `4000` (MB), `16G`, `512M`. */
const slurmMemory = z.string().regex(/^\d+[KMGT]?$/, {
  error: "must be a Slurm memory size: a number with an optional unit K, M, G or T, e.g. 16G",
});

const name = z.string().regex(/^[^\s]+$/, { error: "must be one word" });

/** What a light stage asks for (the project names its light kinds, e.g. data, split, report). */
export const lightResourcesSchema = z.strictObject({
  partition: name.optional(),
  time: slurmTime.optional(),
  mem: slurmMemory.optional(),
  cpus_per_task: z.int().positive().default(1),
});

/** The `executor:` section. */
export const executorSchema = z.strictObject({
  type: z.enum(["local", "slurm"]).default("local"),
  /** Partition (queue) of every stage, unless `light.partition` says otherwise for light ones. */
  partition: name.optional(),
  /** Time limit per job. */
  time: slurmTime.optional(),
  /** Memory per job (`--mem`). */
  mem: slurmMemory.optional(),
  /** CPUs per job (`--cpus-per-task`). */
  cpus_per_task: z.int().positive().optional(),
  /** Generic resources per heavy job, e.g. `gpu:1` (never for light stages). */
  gres: name.optional(),
  /** Further `sbatch` arguments for every job, e.g. `[--account=lab42, --qos=short]`. */
  extra_args: z.array(z.string().min(1)).default([]),
  /** What light stages ask for instead. */
  light: lightResourcesSchema.prefault({}),
  /** The Deno executable on the nodes. Default: the path of the Deno running the pipeline. */
  deno: z.string().min(1).optional(),
  /** How often the queue is polled, in seconds. */
  poll_seconds: z.number().positive().max(600).default(2),
});

/** A validated `executor:` section (defaults applied). */
export type ExecutorSettings = z.infer<typeof executorSchema>;
