import { basename } from "node:path";
import type { CacheLayout } from "./cache_layout.ts";

/**
 * The names in `entries/` and `records/`, listed once, so that assessing a big plan does not try
 * to open a manifest and a record for every stage that was never run. A snapshot: an entry another
 * process commits later is found when the stage is computed (its lock is taken and the entry
 * checked again), never lost.
 */
export interface CacheIndex {
  /** False only when `entries/<fingerprint>` was not there when listed. */
  mayHaveEntry(fingerprint: string): boolean;
  /** False only when the record of `id` was not there when listed. */
  mayHaveRecord(id: string): boolean;
}

function names(dir: string): Set<string> | undefined {
  try {
    return new Set([...Deno.readDirSync(dir)].map((e) => e.name));
  } catch (error) {
    // No folder yet: nothing is there. Any other problem: assume everything may be.
    return error instanceof Deno.errors.NotFound ? new Set() : undefined;
  }
}

/** Lists the cache's entries and records now. */
export function indexCache(layout: CacheLayout): CacheIndex {
  const entries = names(layout.entries);
  const records = names(layout.records);
  return {
    mayHaveEntry: (fingerprint) => entries?.has(fingerprint) ?? true,
    // Checked without hashing the id when there are no records at all (a first run).
    mayHaveRecord: (id) =>
      records === undefined || (records.size > 0 && records.has(basename(layout.record(id)))),
  };
}
