/**
 * The peak resident memory of this process (Linux `VmHWM`), or null where /proc is not there.
 * @module
 */

/** Peak resident set size of the current process in bytes, or null when unknown. */
export function peakRssBytes(): number | null {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
