import { dirname } from "node:path";
import type { CacheLayout } from "./cache_layout.ts";

const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * Reads `keys/<stage key>`: the fingerprint the stage with that key last completed as (ran, or
 * was found fresh). A stage's key is known before anything runs, its fingerprint only once its
 * inputs are done (it holds their output digests), so a process that did not run the inputs (a
 * cluster job) finds their entries through these pointers.
 * @returns the fingerprint, or undefined when there is none or the file is not one.
 */
export async function readKeyPointer(
  layout: CacheLayout,
  key: string,
): Promise<string | undefined> {
  try {
    const text = (await Deno.readTextFile(layout.key(key))).trim();
    return FINGERPRINT.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Points `keys/<stage key>` at `fingerprint` (temp file + rename: readers on any machine see the
 * old or the new pointer, never half of one). Left alone when it already says so, so a fully
 * cached rerun writes nothing.
 */
export async function writeKeyPointer(
  layout: CacheLayout,
  key: string,
  fingerprint: string,
): Promise<void> {
  if (await readKeyPointer(layout, key) === fingerprint) return;
  const path = layout.key(key);
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(tmp, fingerprint + "\n");
  await Deno.rename(tmp, path);
}
