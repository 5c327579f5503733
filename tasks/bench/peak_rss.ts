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

/**
 * Resets the peak resident set size to the current one (Linux ≥ 4.0 `clear_refs` 5), so that a
 * later {@linkcode peakRssBytes} measures one phase (training, then inference) on its own.
 * Returns false where that is not possible.
 */
export function resetPeakRss(): boolean {
  try {
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}
