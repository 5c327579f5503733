/**
 * Atomic file writes: a reader (or a resumed run) sees the old file or the new one, never half.
 * @module
 */
import { rename, writeFile } from "node:fs/promises";

/** Writes `data` to `path` through a temporary sibling and a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
