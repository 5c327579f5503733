/**
 * Telling an out-of-memory death from other failures, and saying what to do about it.
 * @module
 */

/** What to do when a stage runs out of memory. */
export const MEMORY_REMEDY =
  "give it less to hold at once (a smaller train.batch_size or evaluate.batch_size, smaller " +
  "images) or run fewer stages at once (--jobs 1)";

/** Messages of allocations that failed inside a process (V8, WebAssembly, the C library). */
const OOM_TEXT =
  /out of memory|allocation failed|could not allocate|cannot allocate memory|heap limit|ENOMEM/i;

/** True when an error or log text says memory ran out. */
export function saysOutOfMemory(text: string): boolean {
  return OOM_TEXT.test(text);
}

/**
 * The number of processes the kernel's out-of-memory killer has killed in this process's memory
 * cgroup (cgroup v2 `memory.events`, v1 `memory.oom_control`), or undefined where unreadable.
 * Read before and after a child dies: an increase proves the OOM killer took it.
 */
export function oomKillCount(): number | undefined {
  let cgroups: string;
  try {
    cgroups = Deno.readTextFileSync("/proc/self/cgroup");
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const line of cgroups.split("\n")) {
    const [, controllers, path] = line.split(":");
    if (path === undefined) continue;
    if (controllers === "") candidates.push(`/sys/fs/cgroup${path}/memory.events`);
    if (controllers.split(",").includes("memory")) {
      candidates.push(`/sys/fs/cgroup/memory${path}/memory.oom_control`);
    }
  }
  for (const file of candidates) {
    try {
      const count = Deno.readTextFileSync(file).match(/^oom_kill (\d+)$/m)?.[1];
      if (count !== undefined) return Number(count);
    } catch { /* not this layout */ }
  }
  return undefined;
}
