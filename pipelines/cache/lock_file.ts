/**
 * Lock files that cannot hang and stay correct on a file system shared by several machines
 * (pipelines/README.md, "Locks"). A lock file holds a {@linkcode LockRecord} naming its holder
 * precisely; it is created complete and atomically (written beside, then hard-linked into place,
 * so a full disk never leaves an empty lock), renewed by a heartbeat thread while held, and
 * removed on release only if it still holds this acquisition's token. A waiter takes over a lock
 * whose holder is provably gone ({@linkcode judgeLock}) under a short guard lock, so two waiters
 * never both remove a fresh lock.
 * @module
 */
import { judgeLock, type LockVerdict, LockWatch } from "./judge_lock.ts";
import { formatLockRecord, type LockRecord, newLockRecord } from "./lock_record.ts";

export type { LockVerdict } from "./judge_lock.ts";
export type { LockRecord } from "./lock_record.ts";

/** Options of {@linkcode acquireLock}. */
export interface AcquireLockOptions {
  /** What the holder does, recorded for other processes' messages: `stage train:lenet`. */
  purpose: string;
  /** Stops waiting (rejects with {@linkcode LockWaitAborted}) as soon as it aborts. */
  signal?: AbortSignal;
  /** Called when waiting starts and whenever another holder takes the lock meanwhile. */
  onWait?: (holder: LockRecord | undefined, reason: string) => void;
  /** Called when a lock taken over as stale was removed, with the reason. */
  onTakeOver?: (holder: LockRecord | undefined, reason: string) => void;
  /** Called if, while held, the lock file stops holding our token (we were presumed dead). */
  onLost?: () => void;
  /** Lease recorded in the lock. Default: {@linkcode DEFAULT_LEASE_MS}. */
  leaseMs?: number;
  /** How often to look again while waiting (ms). Default: 500. */
  pollMs?: number;
  /** How long a file in the lock's place that is not a lock record may stay unchanged before it
   * is presumed abandoned (ms). Default: 10 s. */
  unreadableGraceMs?: number;
}

/** A held lock. */
export interface HeldLock {
  readonly path: string;
  readonly record: LockRecord;
  /** Stops renewing and removes the file if it still holds this acquisition's token. */
  release(): Promise<void>;
}

/** Thrown when the signal aborts while waiting for a lock. */
export class LockWaitAborted extends Error {
  override name = "LockWaitAborted";
  constructor() {
    super("interrupted while waiting for a lock");
  }
}

const ownTokens = new Set<string>();

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function linkUnsupported(error: unknown): boolean {
  return error instanceof Deno.errors.NotSupported ||
    error instanceof Deno.errors.PermissionDenied ||
    /os error (1|38|95)\)/.test(String(error));
}

/** Exclusive create for file systems without hard links; a failed write removes the file. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { createNew: true, write: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
  try {
    const bytes = new TextEncoder().encode(text);
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
    file.close();
    return true;
  } catch (error) {
    file.close();
    await Deno.remove(path).catch(() => {});
    throw error;
  }
}

/**
 * Creates `path` holding `record`, complete, or not at all.
 * @returns false when the file already exists.
 */
export async function createLockFile(path: string, record: LockRecord): Promise<boolean> {
  const text = formatLockRecord(record);
  const tmp = `${path}.${record.token}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text, { createNew: true });
    try {
      await Deno.link(tmp, path);
      return true;
    } catch (error) {
      // On NFS a retried link whose first attempt succeeded reports EEXIST: count the links.
      if (error instanceof Deno.errors.AlreadyExists) return (await Deno.stat(tmp)).nlink === 2;
      if (!linkUnsupported(error)) throw error;
    }
    return await createExclusive(path, text);
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

// --- the heartbeat thread, shared by every lock this process holds ---------------------------

let worker: Worker | undefined;
let holds = 0;
let nextRelease = 0;
const releases = new Map<number, () => void>();
const lostHandlers = new Map<string, () => void>();

function heartbeat(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./_lock_heartbeat_worker.ts", import.meta.url).href, {
    type: "module",
  });
  worker.onmessage = (event: MessageEvent) => {
    const { released, lost } = event.data;
    if (released !== undefined) releases.get(released)?.();
    if (lost !== undefined) lostHandlers.get(lost)?.();
  };
  return worker;
}

function hold(path: string, record: LockRecord, onLost?: () => void): HeldLock {
  holds++;
  ownTokens.add(record.token);
  if (onLost) lostHandlers.set(path, onLost);
  heartbeat().postMessage({ hold: { path, record } });
  let released: Promise<void> | undefined;
  return {
    path,
    record,
    release() {
      const id = nextRelease++;
      released ??= new Promise<void>((resolve) => {
        releases.set(id, resolve);
        heartbeat().postMessage({ release: { path, id } });
      }).then(() => {
        releases.delete(id);
        lostHandlers.delete(path);
        ownTokens.delete(record.token);
        if (--holds === 0) {
          worker?.terminate();
          worker = undefined;
        }
      });
      return released;
    },
  };
}

// --- waiting and taking over -------------------------------------------------------------------

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LockWaitAborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LockWaitAborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Removes the lock at `path` if it still holds `staleText`, under the guard `<path>.takeover`,
 * so that of several waiters that judged the same lock stale only one removes it, and none
 * removes a lock that another waiter has meanwhile taken.
 */
async function takeOver(path: string, staleText: string, watch: LockWatch): Promise<boolean> {
  const guardPath = `${path}.takeover`;
  const guard = newLockRecord(`taking over ${path}`, 10_000);
  if (!(await createLockFile(guardPath, guard))) {
    const text = await readText(guardPath);
    if (text === undefined) return false;
    // A guard is held for milliseconds; one that outlives its holder is removed like any lock.
    const verdict = judgeLock(text, { unchangedMs: watch.unchangedFor(guardPath, text) });
    if (verdict.state === "stale" && (await readText(guardPath)) === text) {
      await Deno.remove(guardPath).catch(() => {});
    }
    return false;
  }
  try {
    if ((await readText(path)) !== staleText) return false;
    await Deno.remove(path).catch(() => {});
    return true;
  } finally {
    await Deno.remove(guardPath).catch(() => {});
  }
}

/**
 * Takes the lock at `path`, waiting while another live process holds it. A lock whose holder
 * is provably gone is taken over; a holder on another machine is presumed gone once its
 * heartbeat has not changed for its lease (pipelines/README.md, "Locks"). With a signal that is
 * already aborted it takes the lock only if it is free (or stale) and never waits.
 * @throws {LockWaitAborted} when `signal` aborts while waiting; file system errors (a full disk,
 *   a read-only folder) as they are.
 */
export async function acquireLock(path: string, options: AcquireLockOptions): Promise<HeldLock> {
  const watch = new LockWatch();
  let announced: string | undefined;
  while (true) {
    const record = newLockRecord(options.purpose, options.leaseMs);
    if (await createLockFile(path, record)) return hold(path, record, options.onLost);
    const text = await readText(path);
    if (text === undefined) continue; // released between our attempt and the read
    const verdict = judgeLock(text, {
      unchangedMs: watch.unchangedFor(path, text),
      ownTokens,
      unreadableGraceMs: options.unreadableGraceMs,
    });
    if (verdict.state === "stale") {
      if (await takeOver(path, text, watch)) options.onTakeOver?.(verdict.holder, verdict.reason);
      watch.forget(path);
      continue;
    }
    // Announce each new holder once; a file caught mid-write (no record yet) only if nothing was.
    const who = verdict.holder?.token;
    // An aborted signal means "do not wait": a caller may pass one to take the lock only if free.
    if (options.signal?.aborted) throw new LockWaitAborted();
    if (who !== undefined ? announced !== who : announced === undefined) {
      announced = who ?? "";
      options.onWait?.(verdict.holder, verdict.reason);
    }
    await sleep(options.pollMs ?? 500, options.signal);
  }
}

/**
 * The state of the lock at `path` as seen once, without waiting: `free`, or the verdict. A holder
 * on another machine is reported `held` (its lease cannot be judged from one look). For tools
 * that must not touch what a live process is working on (gc).
 */
export async function inspectLock(path: string): Promise<{ state: "free" } | LockVerdict> {
  const text = await readText(path);
  if (text === undefined) return { state: "free" };
  return judgeLock(text, { unchangedMs: 0, ownTokens });
}

/**
 * Removes the lock at `path` when one look proves its holder gone (startup cleanup).
 * @returns the verdict, or undefined when there was no lock.
 */
export async function removeIfStale(path: string): Promise<LockVerdict | undefined> {
  const text = await readText(path);
  if (text === undefined) return undefined;
  const watch = new LockWatch();
  const verdict = judgeLock(text, { unchangedMs: watch.unchangedFor(path, text), ownTokens });
  if (verdict.state === "stale") await takeOver(path, text, watch);
  return verdict;
}

/**
 * Runs `task` holding the lock at `path` if it is free right now, without waiting and without a
 * heartbeat (for short housekeeping: the lease is one minute).
 * @returns whether the task ran.
 */
export async function withLockIfFree(
  path: string,
  purpose: string,
  task: () => Promise<void>,
): Promise<boolean> {
  const record = newLockRecord(purpose, 60_000);
  if (!(await createLockFile(path, record))) return false;
  ownTokens.add(record.token);
  try {
    await task();
    return true;
  } finally {
    ownTokens.delete(record.token);
    if ((await readText(path).catch(() => undefined))?.includes(record.token)) {
      await Deno.remove(path).catch(() => {});
    }
  }
}
