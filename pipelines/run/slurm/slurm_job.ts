/**
 * The file a Slurm job is given: the contract between the submitting process and the node that
 * runs the job (`slurm_stage.ts`). Both sides import it.
 * @module
 */
import type { CodeHashes } from "../../hashing/code_hash.ts";
import type { StageTask } from "../stage_task.ts";

/** `<job>.json`: what the node needs besides the checkout and the cache. */
export interface SlurmJobFile {
  format: 1;
  task: StageTask;
  /** The cache folder (absolute; the same path on every node: a shared file system). */
  cache: string;
  /** The code set of the node's entry point (`slurm_stage.ts`), as the submitter hashed it. */
  engine: CodeHashes;
  /** The Deno version of the submitting process: a node with another must not compute. */
  deno: string;
  /** Where the node writes its {@linkcode TaskResult} (JSON; temp file + rename). */
  result: string;
  /** Where the node keeps its latest progress update (JSON; temp file + rename). */
  progress: string;
}

/** The files of one job, beside each other in its submission folder. */
export interface JobPaths {
  /** The {@linkcode SlurmJobFile}. */
  job: string;
  /** The batch script handed to `sbatch`. */
  script: string;
  /** Everything the job printed (`sbatch --output`). */
  log: string;
  result: string;
  progress: string;
}

/** The paths of job `stem` (e.g. `003-train-lenet`) in folder `dir`. */
export function jobPaths(dir: string, stem: string): JobPaths {
  const base = `${dir}/${stem}`;
  return {
    job: `${base}.json`,
    script: `${base}.sh`,
    log: `${base}.log`,
    result: `${base}.result.json`,
    progress: `${base}.progress.json`,
  };
}

/** Writes JSON so that readers on any machine see all of it or nothing (temp file + rename). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(value) + "\n");
  await Deno.rename(tmp, path);
}

/** Reads a JSON file; undefined when it is absent or not (yet) JSON. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch {
    return undefined;
  }
}
