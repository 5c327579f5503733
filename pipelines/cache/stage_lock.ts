import { dirname } from "node:path";
import type { CacheLayout } from "./cache_layout.ts";
import { acquireLock, type HeldLock, type LockRecord, LockWaitAborted } from "./lock_file.ts";

export type { HeldLock } from "./lock_file.ts";

/** Options of {@linkcode lockStage}. */
export interface LockStageOptions {
  /** Stage id, recorded in the lock for other processes' messages. */
  id?: string;
  /** Called when another live holder has the lock, with that holder and why it counts as live. */
  onWait?: (holder: LockRecord | undefined, reason: string) => void;
  /** Called when a stale lock (its holder gone) was taken over. */
  onTakeOver?: (holder: LockRecord | undefined, reason: string) => void;
  /** Stops waiting (rejects with `LockWaitAborted`) as soon as it aborts. */
  signal?: AbortSignal;
  /** How often to look again while waiting (ms). Default: 500. */
  pollMs?: number;
  /** Lease recorded in the lock (ms). Default: 30 s. */
  leaseMs?: number;
}

/**
 * Takes `locks/<fingerprint>.lock` so that pipelines sharing a cache (on one machine or several)
 * never compute, and checkpoint into the same work folder for, one stage at once. A lock whose
 * holder is provably gone is taken over; a live one is waited for (see `lock_file.ts`).
 * @throws {LockWaitAborted} when `signal` aborts while waiting.
 */
export async function lockStage(
  layout: CacheLayout,
  fingerprint: string,
  options: LockStageOptions = {},
): Promise<HeldLock> {
  const path = layout.lock(fingerprint);
  await Deno.mkdir(dirname(path), { recursive: true });
  return await acquireLock(path, {
    purpose: `stage ${options.id ?? fingerprint}`,
    signal: options.signal,
    onWait: options.onWait,
    onTakeOver: options.onTakeOver,
    pollMs: options.pollMs,
    leaseMs: options.leaseMs,
  });
}

/**
 * Takes the stage's lock only if no live process holds it (a stale one is taken over), without
 * waiting: for housekeeping such as gc that must leave running stages alone.
 * @returns the held lock, or undefined when another live process holds it.
 */
export async function tryLockStage(
  layout: CacheLayout,
  fingerprint: string,
  purpose = "housekeeping",
): Promise<HeldLock | undefined> {
  try {
    return await lockStage(layout, fingerprint, { id: purpose, signal: AbortSignal.abort() });
  } catch (error) {
    if (error instanceof LockWaitAborted) return undefined;
    throw error;
  }
}
