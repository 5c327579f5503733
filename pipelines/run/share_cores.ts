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
