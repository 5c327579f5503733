import { join, resolve } from "node:path";
import { sha256 } from "../hashing/sha256.ts";

/**
 * Where things live in the cache folder:
 * - `entries/<fingerprint>/` a finished entry: `manifest.json`, `out/` (the stage outputs), `log.txt`
 * - `work/<fingerprint>/` the stage's persistent scratch (checkpoints), deleted after success
 * - `tmp/<fingerprint>.<pid>.<n>/` an entry being written; renamed into `entries/` when complete
 * - `records/<hash of id>.json` the last fingerprint object seen for a stage id (for "why")
 * - `locks/<fingerprint>.lock` the pid of the process computing that stage right now
 * - `keys/<stage key>` the fingerprint that stage key last completed as (see `key_pointer.ts`)
 */
export interface CacheLayout {
  root: string;
  entry(fingerprint: string): string;
  work(fingerprint: string): string;
  tmp: string;
  record(id: string): string;
  lock(fingerprint: string): string;
  key(key: string): string;
}

/** The cache folder: the `--cache-dir` flag, else `$CNNLAB_CACHE`, else `.cache` in the cwd. */
export function resolveCacheDir(
  flag?: string,
  env: string | undefined = Deno.env.get("CNNLAB_CACHE"),
): string {
  return resolve(flag ?? (env || undefined) ?? ".cache");
}

/** The paths of a cache folder (nothing is created). */
export function cacheLayout(root: string): CacheLayout {
  return {
    root,
    entry: (fingerprint) => join(root, "entries", fingerprint),
    work: (fingerprint) => join(root, "work", fingerprint),
    tmp: join(root, "tmp"),
    record: (id) => join(root, "records", `${sha256(id).slice(0, 32)}.json`),
    lock: (fingerprint) => join(root, "locks", `${fingerprint}.lock`),
    key: (key) => join(root, "keys", key),
  };
}
