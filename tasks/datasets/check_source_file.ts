import { basename } from "node:path";
import type { KnownFile } from "./dataset_catalog.ts";
import { type Checksums, compareChecksums, fileChecksums } from "./file_checksums.ts";
import type { SourceFile } from "./image_set.ts";

/**
 * Judges one original file against the published sums: a file of the published size whose sum
 * differs is an error (a damaged copy); other files (fixtures, repackaged copies) are accepted
 * as `unknown`. Uses `sums` when given, else reads the file once to compute them.
 *
 * @param content the decompressed content's size and SHA-256 (IDX files), which identifies a
 *   repackaged copy of the same data
 * @throws Error when a full-size copy does not match, naming the file and the sums.
 */
export async function checkSourceFile(
  path: string,
  known: readonly KnownFile[],
  sums?: Checksums,
  content?: { bytes: number; sha256: string },
): Promise<SourceFile> {
  const name = basename(path);
  const own = sums ?? await fileChecksums(path);
  const entry = known.find((k) => k.name === name || k.name === `${name}.gz`);
  const result: SourceFile = { name, bytes: own.bytes, sha256: own.sha256, verified: "unknown" };
  if (entry === undefined) return result;
  const verdict = compareChecksums(entry, own);
  if (verdict.ok) {
    return verdict.note === undefined
      ? { ...result, verified: verdict.by }
      : { ...result, verified: verdict.by, note: verdict.note };
  }
  if (content !== undefined && content.sha256 === entry.contentSha256) {
    return { ...result, verified: "content-sha256" };
  }
  // A full-size copy that does not match is damaged; smaller files are fixtures or subsets.
  const fullSize = content !== undefined
    ? content.bytes === entry.contentBytes
    : own.bytes === entry.bytes;
  if (fullSize && verdict.reason === "mismatch") {
    throw new Error(
      `Cannot use ${path}: ${verdict.message}` +
        (content !== undefined ? ` (decompressed content SHA-256 ${content.sha256})` : "") +
        `; the copy is damaged, delete it and fetch it again`,
    );
  }
  return result;
}

/**
 * The originals a reader of an archive-or-folder data set checks: the archive itself (judged
 * against the published sums), or nothing for an extracted folder (no published sums exist for
 * its files; the planner's digest still keys it).
 */
export async function checkArchive(
  location: string,
  known: readonly KnownFile[],
  sums?: Readonly<Record<string, Checksums>>,
): Promise<SourceFile[]> {
  if (!(await Deno.stat(location)).isFile) return [];
  return [await checkSourceFile(location, known, sums?.[location])];
}
