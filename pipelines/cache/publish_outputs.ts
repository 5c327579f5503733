import { dirname, join, resolve } from "node:path";
import type { FileHash } from "../hashing/hash_tree.ts";
import { hashTree } from "../hashing/hash_tree.ts";

/** Whether publishing had to copy anything. */
export type PublishResult = "unchanged" | "copied";

/** True when `target` holds exactly `files` (same names, same SHA-256). */
export async function publishedMatches(
  target: string,
  files: Record<string, FileHash>,
): Promise<boolean> {
  try {
    const present = await hashTree(target);
    const names = Object.keys(files);
    return names.length === Object.keys(present).length &&
      names.every((n) => present[n]?.sha256 === files[n].sha256);
  } catch {
    return false;
  }
}

/**
 * Makes `target` (relative to the cwd, or absolute) hold exactly the entry's outputs: left alone
 * when it already does, else emptied and filled with copies.
 * @returns "unchanged" or "copied".
 */
export async function publishOutputs(
  outDir: string,
  files: Record<string, FileHash>,
  target: string,
): Promise<PublishResult> {
  const destination = resolve(target);
  if (await publishedMatches(destination, files)) return "unchanged";
  await Deno.remove(destination, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  for (const file of Object.keys(files)) {
    await Deno.mkdir(dirname(join(destination, file)), { recursive: true });
    await Deno.copyFile(join(outDir, file), join(destination, file));
  }
  await Deno.mkdir(destination, { recursive: true });
  return "copied";
}
