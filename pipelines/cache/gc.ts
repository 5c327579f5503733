/**
 * Garbage collection of the cache: removes entries (and checkpoint folders) that no config
 * still reaches, except the newest few per stage id and anything another process holds.
 * @module
 */
import { join } from "node:path";
import { removeStaleTemps } from "./cache_entry.ts";
import type { CacheLayout } from "./cache_layout.ts";
import type { Manifest } from "./manifest.ts";
import { lockStage, type StageLock } from "./stage_lock.ts";

/** Options of {@linkcode collectGarbage}. */
export interface CollectGarbageOptions {
  /** Fingerprints to keep: every stage the configs still reach. */
  reachable: ReadonlySet<string>;
  /** Keep this many newest unreachable entries per stage id as well. Default: 0. */
  keepLast?: number;
  /** Only say what would be removed. Default: false. */
  dryRun?: boolean;
}

/** One entry or checkpoint folder removed (or that would be, in a dry run). */
export interface RemovedItem {
  /** `entries/<fp>` or `work/<fp>`. */
  path: string;
  fingerprint: string;
  /** The stage id from the entry's manifest ("?" when unreadable, "checkpoint" for work/). */
  id: string;
  bytes: number;
}

/** What {@linkcode collectGarbage} did. */
export interface GarbageReport {
  removed: RemovedItem[];
  /** Entries kept because a config reaches them. */
  reachable: number;
  /** Unreachable entries kept by `keepLast`. */
  recent: number;
  /** Entries (or checkpoints) kept because another process holds their lock. */
  locked: string[];
  bytes: number;
}

/** Total size of the files under `path` (0 when it is gone). */
export async function treeBytes(path: string): Promise<number> {
  let total = 0;
  try {
    for await (const entry of Deno.readDir(path)) {
      const child = join(path, entry.name);
      if (entry.isDirectory) total += await treeBytes(child);
      else if (entry.isFile) total += (await Deno.lstat(child)).size;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return total;
}

async function listNames(dir: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for await (const entry of Deno.readDir(dir)) if (entry.isDirectory) names.push(entry.name);
    return names.sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  } catch {
    return undefined;
  }
}

/**
 * Takes a stage's lock only if nobody holds it: the lock module waits for a live holder, so
 * it is called with a signal that is already aborted, which makes it give up at once.
 * @returns the lock, or undefined when another live process holds it.
 */
async function tryLock(layout: CacheLayout, fingerprint: string): Promise<StageLock | undefined> {
  try {
    return await lockStage(layout, fingerprint, { signal: AbortSignal.abort(), pollMs: 0 });
  } catch (error) {
    if ((error as Error).message === "interrupted") return undefined;
    throw error;
  }
}

/**
 * Removes every cache entry whose fingerprint is not in `reachable`, keeping the `keepLast`
 * newest per stage id, and the checkpoint folders (`work/`) of unreachable stages. Each is
 * removed while holding its stage lock, so a pipeline never computes into (or commits) an
 * entry as it goes; one whose lock another live process holds is kept. An entry is first
 * renamed into `tmp/` (it disappears at once, never half-deleted), then deleted. Temp folders
 * of dead processes go too.
 */
export async function collectGarbage(
  layout: CacheLayout,
  options: CollectGarbageOptions,
): Promise<GarbageReport> {
  const keepLast = options.keepLast ?? 0;
  const report: GarbageReport = { removed: [], reachable: 0, recent: 0, locked: [], bytes: 0 };
  const entries = await listNames(join(layout.root, "entries"));
  const candidates: { fingerprint: string; id: string; started: string }[] = [];
  for (const fingerprint of entries) {
    if (options.reachable.has(fingerprint)) {
      report.reachable++;
      continue;
    }
    const manifest = await readManifest(layout.entry(fingerprint));
    candidates.push({
      fingerprint,
      id: manifest?.id ?? "?",
      started: manifest?.timings?.started ?? "",
    });
  }
  // Newest first per stage id; the first `keepLast` of each id stay.
  candidates.sort((a, b) => b.started.localeCompare(a.started));
  const seen = new Map<string, number>();
  const doomed: RemovedItem[] = [];
  for (const c of candidates) {
    const rank = seen.get(c.id) ?? 0;
    seen.set(c.id, rank + 1);
    if (c.id !== "?" && rank < keepLast) {
      report.recent++;
      continue;
    }
    const path = layout.entry(c.fingerprint);
    doomed.push({ path, fingerprint: c.fingerprint, id: c.id, bytes: await treeBytes(path) });
  }
  for (const fingerprint of await listNames(join(layout.root, "work"))) {
    if (options.reachable.has(fingerprint)) continue;
    const path = layout.work(fingerprint);
    doomed.push({ path, fingerprint, id: "checkpoint", bytes: await treeBytes(path) });
  }
  for (const item of doomed) {
    const lock = await tryLock(layout, item.fingerprint);
    if (lock === undefined) {
      report.locked.push(item.path);
      continue;
    }
    try {
      if (!options.dryRun) {
        await Deno.mkdir(layout.tmp, { recursive: true });
        const gone = join(layout.tmp, `${item.fingerprint}.${Deno.pid}.gc`);
        await Deno.rename(item.path, gone);
        await Deno.remove(gone, { recursive: true });
      }
      report.removed.push(item);
      report.bytes += item.bytes;
    } finally {
      await lock.release();
    }
  }
  if (!options.dryRun) await removeStaleTemps(layout);
  return report;
}
