import { join } from "node:path";
import { TEMP_NAME } from "./cache_entry.ts";
import type { CacheLayout } from "./cache_layout.ts";
import { judgeLock } from "./judge_lock.ts";
import { removeIfStale, withLockIfFree } from "./lock_file.ts";
import { parseLockRecord } from "./lock_record.ts";
import { currentProcess } from "./process_identity.ts";
import { isProcessAlive } from "./_process_alive.ts";
import { PROBE_NAME, probeHost } from "./prepare_cache.ts";

/** What {@linkcode cleanCache} removed (paths relative to the cache root). */
export interface CleanupReport {
  temps: string[];
  locks: string[];
  work: string[];
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
const GC_DOOMED = /^[0-9a-f]{64}\.\d+\.gc$/;
const LOCK_LEFTOVER = /^[0-9a-f]{64}\.lock\.[0-9a-f-]{36}\.(tmp|beat)$/;

async function names(dir: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return [];
  }
}

async function lockToken(layout: CacheLayout, fingerprint: string): Promise<string | undefined> {
  try {
    return parseLockRecord(await Deno.readTextFile(layout.lock(fingerprint)))?.token;
  } catch {
    return undefined;
  }
}

/**
 * Removes what crashed runs left, and only that: a temp folder only when it is named
 * `<fingerprint>.<lock token>` and the stage lock it was created under no longer holds that
 * token; a lock only when its holder is provably gone; a
 * work folder only when its stage's entry was committed and no one holds the stage's lock. Files
 * of other shapes are never touched (a user's folder given as `--cache-dir` keeps its files).
 */
export async function cleanCache(layout: CacheLayout): Promise<CleanupReport> {
  const report: CleanupReport = { temps: [], locks: [], work: [] };
  // Locks first: a temp folder is judged by whether its lock is still held.
  for (const entry of await names(layout.locks)) {
    const path = join(layout.locks, entry.name);
    if (/^[0-9a-f]{64}\.lock(\.takeover)?$/.test(entry.name)) {
      if ((await removeIfStale(path))?.state === "stale") report.locks.push(`locks/${entry.name}`);
    } else if (LOCK_LEFTOVER.test(entry.name) && await leftoverIsStale(path)) {
      await Deno.remove(path).catch(() => {});
      report.locks.push(`locks/${entry.name}`);
    }
  }
  for (const entry of await names(layout.tmp)) {
    const path = join(layout.tmp, entry.name);
    const [, fingerprint, token] = entry.name.match(TEMP_NAME) ?? [];
    if (fingerprint && entry.isDirectory) {
      if (token !== await lockToken(layout, fingerprint)) {
        await Deno.remove(path, { recursive: true }).catch(() => {});
        report.temps.push(`tmp/${entry.name}`);
      }
    } else if (GC_DOOMED.test(entry.name) && entry.isDirectory) {
      // gc renames what it deletes to `<fingerprint>.<pid>.gc` first: doomed by its own name.
      await Deno.remove(path, { recursive: true }).catch(() => {});
      report.temps.push(`tmp/${entry.name}`);
    } else if (PROBE_NAME.test(entry.name) && entry.isFile) {
      // A write probe of a process of this machine that is gone, or any probe an hour old (one
      // of another machine cannot be judged by its pid; unlinking it would be harmless anyway).
      const [, host, pid] = entry.name.match(PROBE_NAME)!;
      const age = Date.now() - ((await Deno.stat(path).catch(() => null))?.mtime?.getTime() ?? 0);
      if ((host === probeHost() && !isProcessAlive(Number(pid))) || age > 3_600_000) {
        await Deno.remove(path).catch(() => {});
        report.temps.push(`tmp/${entry.name}`);
      }
    }
  }
  for (const entry of await names(layout.workDir)) {
    if (!FINGERPRINT.test(entry.name) || !entry.isDirectory) continue;
    if (!(await committed(layout, entry.name))) continue;
    const removed = await withLockIfFree(
      layout.lock(entry.name),
      "removing a work folder",
      () => Deno.remove(layout.work(entry.name), { recursive: true }).catch(() => {}),
    );
    if (removed) report.work.push(`work/${entry.name}`);
  }
  return report;
}

/** Whether `entries/<fingerprint>` has a manifest naming it (its work folder is a leftover). */
async function committed(layout: CacheLayout, fingerprint: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(
      await Deno.readTextFile(join(layout.entry(fingerprint), "manifest.json")),
    );
    return manifest?.fingerprint === fingerprint;
  } catch {
    return false;
  }
}

/**
 * A half-made lock (a crash between writing and linking it) or an unfinished heartbeat write:
 * stale when its holder is provably gone, or, torn, when untouched for an hour.
 */
async function leftoverIsStale(path: string): Promise<boolean> {
  const text = await Deno.readTextFile(path).catch(() => undefined);
  if (text === undefined) return false;
  const record = parseLockRecord(text);
  if (record === undefined) {
    const mtime = (await Deno.stat(path).catch(() => null))?.mtime?.getTime() ?? Date.now();
    return Date.now() - mtime > 3_600_000;
  }
  if (record.pid === currentProcess().pid && record.host === currentProcess().host) return false;
  return judgeLock(text, { unchangedMs: 0 }).state === "stale";
}
