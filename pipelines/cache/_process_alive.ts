/**
 * Whether a process id is running. Linux answers through /proc; elsewhere every process is
 * assumed alive, so callers never delete another live process's files.
 */
export function isProcessAlive(pid: number): boolean {
  if (pid === Deno.pid) return true;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound) || Deno.build.os !== "linux";
  }
}
