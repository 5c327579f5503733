import { createHash } from "node:crypto";
import { join } from "node:path";

/** Size and SHA-256 of one output file. */
export interface FileHash {
  sha256: string;
  size: number;
}

/** SHA-256 of a file, read in chunks so large datasets do not need to fit in memory twice. */
export async function hashFile(path: string): Promise<FileHash> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  // Sized to the file (plus one byte, so a small file takes one read and one end-of-file read):
  // a cached rerun verifies hundreds of small files, and a fresh 1 MiB buffer each dominated it.
  const { size: expected } = await file.stat();
  const buffer = new Uint8Array(Math.min(expected + 1, 1 << 20));
  let size = 0;
  while (true) {
    const n = await file.read(buffer);
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
    size += n;
  }
  return { sha256: hash.digest("hex"), size };
}

/** Lists the files under `dir` (recursively) as sorted '/'-separated relative paths. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) files.push(...await listFiles(dir, path));
    else files.push(path);
  }
  return files.sort();
}

/** Hashes every file under `dir`: relative path → size and SHA-256. */
export async function hashTree(dir: string): Promise<Record<string, FileHash>> {
  const result: Record<string, FileHash> = {};
  for (const path of await listFiles(dir)) result[path] = await hashFile(join(dir, path));
  return result;
}
