/**
 * Deciding whether a lock's holder is still there. A holder in this pid space (same host, boot
 * and pid namespace) is looked up by pid and start time; one on this machine's kernel but in
 * another pid namespace (a restarted container) by its heartbeat, on the same clock; one on
 * another machine by watching its heartbeat change, on this process's clock only, so clock skew
 * between machines cannot make a live holder look dead.
 * @module
 */
import { type LockRecord, parseLockRecord } from "./lock_record.ts";
import {
  currentProcess,
  describeProcess,
  localLiveness,
  sharesBoot,
  sharesPidSpace,
} from "./process_identity.ts";

/** A file in the lock's place that is not a lock record (an older format, a torn foreign file)
 * is presumed abandoned once it has stayed unchanged this long. */
export const UNREADABLE_GRACE_MS = 10_000;

/** What {@linkcode judgeLock} decided. */
export type LockVerdict =
  | { state: "held"; holder?: LockRecord; reason: string }
  | { state: "stale"; holder?: LockRecord; reason: string };

/** Options of {@linkcode judgeLock}. */
export interface JudgeLockOptions {
  /** How long this process has seen the file's text unchanged (ms, this process's clock). */
  unchangedMs: number;
  /** Tokens of the locks this process holds (a record of ours with another token is a leftover). */
  ownTokens?: ReadonlySet<string>;
  /** Wall clock now (ms). Default: `Date.now()`. */
  now?: number;
  /** How long a file that is not a lock record may stay unchanged. Default: 10 s. */
  unreadableGraceMs?: number;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Judges a lock file's text: `held` while its holder may be alive, `stale` once it provably is
 * not (with the reason, for logs).
 */
export function judgeLock(text: string, options: JudgeLockOptions): LockVerdict {
  const record = parseLockRecord(text);
  if (record === undefined) {
    return options.unchangedMs >= (options.unreadableGraceMs ?? UNREADABLE_GRACE_MS)
      ? {
        state: "stale",
        reason: `not a lock record, unchanged for ${seconds(options.unchangedMs)}`,
      }
      : { state: "held", reason: "not a lock record (yet)" };
  }
  const me = currentProcess();
  const who = describeProcess(record, me);
  if (sharesPidSpace(record, me) && record.pid === me.pid && record.start === me.start) {
    return options.ownTokens?.has(record.token)
      ? { state: "held", holder: record, reason: "held by this process" }
      : { state: "stale", holder: record, reason: "left by an earlier lock of this process" };
  }
  const liveness = localLiveness(record, me);
  if (liveness === "alive") return { state: "held", holder: record, reason: `${who} is running` };
  if (liveness === "dead") {
    return { state: "stale", holder: record, reason: `${who} is no longer running` };
  }
  if (sharesBoot(record, me)) {
    // Same kernel, same clock: the recorded heartbeat can be compared with ours directly.
    const age = (options.now ?? Date.now()) - record.heartbeat;
    return age > record.lease_ms
      ? { state: "stale", holder: record, reason: `${who} has not renewed it for ${seconds(age)}` }
      : { state: "held", holder: record, reason: `${who} renewed it ${seconds(age)} ago` };
  }
  return options.unchangedMs >= record.lease_ms
    ? {
      state: "stale",
      holder: record,
      reason: `${who} has not renewed it for ${seconds(options.unchangedMs)}`,
    }
    : {
      state: "held",
      holder: record,
      reason: `${who} holds it (lease ${seconds(record.lease_ms)})`,
    };
}

/** Remembers, per lock path, the text last seen and since when (this process's monotonic clock). */
export class LockWatch {
  #seen = new Map<string, { text: string; since: number }>();

  /** Records a sighting of `text` at `path`; returns how long (ms) it has been unchanged. */
  unchangedFor(path: string, text: string, now = performance.now()): number {
    const previous = this.#seen.get(path);
    if (previous?.text === text) return now - previous.since;
    this.#seen.set(path, { text, since: now });
    return 0;
  }

  /** Forgets a path (after it was taken over or acquired). */
  forget(path: string): void {
    this.#seen.delete(path);
  }
}
