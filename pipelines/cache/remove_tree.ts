/**
 * Removes a file or folder tree; one already gone is not an error (`rm -rf`). Deno's own call,
 * not `node:fs/promises`: loading Node's fs layer costs a new CLI process a third of a second.
 * @module
 */

/** Removes `path` recursively if it exists. */
export async function removeTree(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
