/**
 * `--jobs N` shares the machine's cores among the stage processes instead of letting each start a
 * thread per core (N processes × all cores oversubscribe: OpenMP threads spin on each other).
 * @module
 */

/** The variable a stage process reads for its thread count (the project's backends honour it). */
export const THREADS_VARIABLE = "CNNLAB_THREADS";

/**
 * Threads for each of `jobs` stage processes running at once: max(1, floor(cores / jobs)).
 * @returns undefined for one job, or when the user chose a count (`userValue` set): theirs stands.
 */
export function threadsPerJob(
  jobs: number,
  cores: number,
  userValue: string | undefined,
): number | undefined {
  if (jobs <= 1 || (userValue !== undefined && userValue !== "")) return undefined;
  return Math.max(1, Math.floor(cores / jobs));
}

/**
 * Sets {@linkcode THREADS_VARIABLE} in this process's environment for `--jobs N > 1`, before the
 * runtime facts are computed (for the rest of this process): the stage processes inherit it, and
 * the facts (which record the
 * thread count where it changes the numbers) describe the processes that will compute.
 * @returns the line for the log, or undefined when nothing was set.
 */
export function shareCores(
  jobs: number,
  cores: number = navigator.hardwareConcurrency,
): string | undefined {
  const threads = threadsPerJob(jobs, cores, Deno.env.get(THREADS_VARIABLE));
  if (threads === undefined) return undefined;
  Deno.env.set(THREADS_VARIABLE, String(threads));
  return `--jobs ${jobs} on ${cores} cores: each stage process gets ${THREADS_VARIABLE}=${threads}`;
}

/**
 * The CPUs Slurm allocated to the job this process runs in (`SLURM_CPUS_PER_TASK` when the job
 * asked for `--cpus-per-task`, else `SLURM_CPUS_ON_NODE`), or undefined outside a Slurm job.
 */
export function slurmCpus(env: (name: string) => string | undefined): number | undefined {
  if (env("SLURM_JOB_ID") === undefined) return undefined;
  for (const name of ["SLURM_CPUS_PER_TASK", "SLURM_CPUS_ON_NODE"]) {
    const n = Number(env(name));
    if (Number.isInteger(n) && n > 0) return n;
  }
  return undefined;
}

/**
 * Inside a Slurm job, gives this process as many threads as the job was allocated CPUs
 * (`CNNLAB_THREADS`), unless the user set `CNNLAB_THREADS`: the node's other cores belong to other
 * jobs, and the thread count changes the last bits of native results, so the runtime-facts probe
 * and every stage job must count alike. Returns the log line, or undefined when nothing changed.
 */
export function useSlurmAllocation(): string | undefined {
  const current = Deno.env.get(THREADS_VARIABLE);
  if (current !== undefined && current !== "") return undefined;
  const cpus = slurmCpus((name) => Deno.env.get(name));
  if (cpus === undefined) return undefined;
  Deno.env.set(THREADS_VARIABLE, String(cpus));
  return `slurm job with ${cpus} CPU${cpus === 1 ? "" : "s"}: ${THREADS_VARIABLE}=${cpus}`;
}
