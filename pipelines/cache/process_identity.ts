/**
 * Who a process is, precisely enough to tell it from a later process that reuses its pid: host,
 * kernel boot, pid namespace, pid and start time. Locks and temp folders record it so that a
 * leftover of a dead process is recognised as such, and a holder on another machine (or in
 * another container) is never judged by a local pid lookup.
 * @module
 */

/** The identity of a process, as recorded in lock files and temp-folder markers. */
export interface ProcessIdentity {
  /** `Deno.hostname()`. */
  host: string;
  /** `/proc/sys/kernel/random/boot_id`: changes at every boot; null where unknown (not Linux). */
  boot: string | null;
  /** `/proc/self/ns/pid` (e.g. `pid:[4026531836]`): a container restart gets a new one. */
  pidns: string | null;
  pid: number;
  /** Start time in clock ticks since boot (`/proc/<pid>/stat`, field 22); null where unknown. */
  start: string | null;
}

/** Whether a recorded process is still the same live process, as far as this machine can tell. */
export type Liveness = "alive" | "dead" | "unknown";

function readText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path).trim();
  } catch {
    return null;
  }
}

/** Field 22 of `/proc/<pid>/stat`; the command name (field 2) may hold spaces and parentheses. */
export function processStartTime(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}

let current: ProcessIdentity | undefined;

/** This process's identity (computed once). */
export function currentProcess(): ProcessIdentity {
  if (current) return current;
  let pidns: string | null = null;
  try {
    pidns = Deno.readLinkSync("/proc/self/ns/pid");
  } catch { /* not Linux */ }
  let host = "unknown-host";
  try {
    host = Deno.hostname();
  } catch { /* no sys permission: the host stays unknown, so nothing is judged locally */ }
  current = {
    host,
    boot: readText("/proc/sys/kernel/random/boot_id"),
    pidns,
    pid: Deno.pid,
    start: processStartTime(Deno.pid),
  };
  return current;
}

/** True when `other` runs on this machine, in this boot and pid namespace (its pid means ours). */
export function sharesPidSpace(other: ProcessIdentity, me = currentProcess()): boolean {
  return me.boot !== null && me.pidns !== null && other.host === me.host &&
    other.boot === me.boot && other.pidns === me.pidns;
}

/** True when `other` runs on this machine in this boot (same kernel, hence the same clock). */
export function sharesBoot(other: ProcessIdentity, me = currentProcess()): boolean {
  return me.boot !== null && other.host === me.host && other.boot === me.boot;
}

/**
 * Judges a recorded process from here: `alive` only when it shares this pid space and a process
 * with its pid and start time exists; `dead` when it shares this pid space and no such process
 * exists (gone, or its pid now belongs to a process that started at another time); `unknown`
 * for a process on another host, boot or pid namespace, whose pid means nothing here.
 */
export function localLiveness(other: ProcessIdentity, me = currentProcess()): Liveness {
  if (!sharesPidSpace(other, me)) return "unknown";
  const start = processStartTime(other.pid);
  if (start === null) return "dead";
  if (other.start === null || me.start === null) return "unknown";
  return start === other.start ? "alive" : "dead";
}

/** `process 123 on this machine` / `process 123 on host node7`, for messages. */
export function describeProcess(other: ProcessIdentity, me = currentProcess()): string {
  if (sharesPidSpace(other, me)) return `process ${other.pid} on this machine`;
  if (sharesBoot(other, me)) return `process ${other.pid} in another container on this machine`;
  return `process ${other.pid} on host ${other.host}`;
}
