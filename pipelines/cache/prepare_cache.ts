import { join } from "node:path";
import { CacheError, errorCause } from "./cache_error.ts";

/** The folders a cache holds; a folder without a tag but with only these is an older cache. */
const CACHE_NAMES = new Set([
  "entries",
  "work",
  "tmp",
  "records",
  "locks",
  "state",
  "keys",
  "slurm",
]);
/** The run history (`history/history_store.ts`) and SQLite's files beside it. */
const HISTORY_NAME = /^history\.sqlite(-wal|-shm|-journal)?$/;
/** The tag being written (then renamed into place): left behind only by a kill. */
const TAG_TEMP = /^CACHEDIR\.TAG\.\d+\.tmp$/;

/**
 * The write probe's name in `tmp/`: `probe.<host>.<pid>.<uuid>` (host with anything but letters,
 * digits and '-' as '_'), so that cleanup can tell a probe of a process of this machine that died
 * before removing it.
 */
export const PROBE_NAME = /^probe\.([A-Za-z0-9_-]+)\.(\d+)\.[0-9a-f-]{36}$/;

/** This process's probe name (see {@linkcode PROBE_NAME}). */
export function probeName(): string {
  return `probe.${probeHost()}.${Deno.pid}.${crypto.randomUUID()}`;
}

/** This machine's name as probe names hold it. */
export function probeHost(): string {
  return Deno.hostname().replace(/[^A-Za-z0-9-]/g, "_");
}

/** Marks the cache root (https://bford.info/cachedir/): backup tools skip it, and it tells our
 * caches from a user's folder. */
export const CACHE_TAG = "CACHEDIR.TAG";
const TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n" +
  "# This file marks a cnnlab cache folder (entries/, work/, tmp/, locks/, records/, state/).\n" +
  "# Everything here can be recomputed; see pipelines/README.md.\n";

function describeKind(info: Deno.FileInfo): string {
  if (info.isFile) return "a file";
  if (info.isSymlink) return "a broken link";
  return "not a folder (a device or socket)";
}

/**
 * Checks the cache folder before anything runs, creating it when missing: it must be a folder,
 * either empty, tagged as a cnnlab cache, or holding only cache folders (an older cache, then
 * tagged); and writable: a probe file is written to `tmp/` and removed.
 * @throws {CacheError} `Cannot write the cache at <root>: <cause>`.
 */
export async function prepareCache(root: string): Promise<void> {
  const fail = (cause: string): never => {
    throw new CacheError(`Cannot write the cache at ${root}: ${cause}`);
  };
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(root);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) fail(errorCause(error));
  }
  if (info && !info.isDirectory) fail(`it is ${describeKind(info)}, not a folder`);
  try {
    await Deno.mkdir(root, { recursive: true });
    let tagged = false;
    const foreign: string[] = [];
    for await (const entry of Deno.readDir(root)) {
      if (entry.name === CACHE_TAG) tagged = true;
      else if (TAG_TEMP.test(entry.name) && entry.name !== `${CACHE_TAG}.${Deno.pid}.tmp`) {
        await Deno.remove(join(root, entry.name)).catch(() => {});
      } else if (!CACHE_NAMES.has(entry.name) && !HISTORY_NAME.test(entry.name)) {
        foreign.push(entry.name);
      }
    }
    if (!tagged && foreign.length > 0) {
      const shown = foreign.sort().slice(0, 3).join(", ") + (foreign.length > 3 ? ", …" : "");
      fail(
        `it is a folder of other files (${shown}), not a cnnlab cache: give an empty or new folder`,
      );
    }
    if (!tagged) await writeTag(root);
    const tmp = join(root, "tmp");
    await Deno.mkdir(tmp, { recursive: true });
    const probe = join(tmp, probeName());
    try {
      // Large enough that a full disk refuses it, small enough to cost nothing.
      await Deno.writeFile(probe, new Uint8Array(64 * 1024));
    } finally {
      await Deno.remove(probe).catch(() => {});
    }
  } catch (error) {
    if (error instanceof CacheError) throw error;
    fail(errorCause(error));
  }
}

/**
 * Tags the cache through a temp file renamed into place. Another process preparing the same new
 * cache may remove our temp as a leftover before either tag exists (it cannot tell a live
 * process's temp from a killed one's): then the tag is written again, until one is there.
 */
async function writeTag(root: string): Promise<void> {
  const tag = join(root, CACHE_TAG);
  const tmpTag = join(root, `${CACHE_TAG}.${Deno.pid}.tmp`);
  for (let attempt = 1;; attempt++) {
    await Deno.writeTextFile(tmpTag, TAG_TEXT);
    try {
      await Deno.rename(tmpTag, tag);
      return;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || attempt >= 10) throw error;
      if (await Deno.stat(tag).then(() => true, () => false)) return;
    }
  }
}
