/**
 * The content identity of a data set's original files, as the data stage's params record it:
 * which files the reader reads and the SHA-256 of each. Many files (an extracted Tiny ImageNet
 * folder) are summarized by one digest over the sorted list, so the key stays small.
 * @module
 */
import { createHash } from "node:crypto";
import { basename, dirname, relative } from "node:path";

/** At most this many files are listed one by one. */
const LISTED = 64;

/** File (relative to the source's folder) → SHA-256, or a summary of many. */
export type SourceDigest =
  | { files: Record<string, string> }
  | { tree: { files: number; sha256: string } };

/**
 * Summarizes the digests of `paths` (absolute) read from `location` (a folder, or an archive).
 * @param sha256 gives the SHA-256 of one file (a memo, or a fresh read)
 */
export async function sourceDigest(
  location: string,
  paths: readonly string[],
  sha256: (path: string) => Promise<string>,
): Promise<SourceDigest> {
  const isFolder = (await Deno.stat(location)).isDirectory;
  const base = isFolder ? location : dirname(location);
  const entries: [string, string][] = [];
  for (const path of paths) {
    const name = isFolder ? relative(base, path) : basename(path);
    entries.push([name.split("\\").join("/"), await sha256(path)]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length <= LISTED) return { files: Object.fromEntries(entries) };
  const hash = createHash("sha256");
  for (const [name, digest] of entries) hash.update(`${name}\0${digest}\n`);
  return { tree: { files: entries.length, sha256: hash.digest("hex") } };
}
