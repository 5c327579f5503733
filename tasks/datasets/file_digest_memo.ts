/**
 * SHA-256 of files, remembered by path, size, modification and change time and inode (as DVC's
 * state database does), so planning a run does not re-read data sets that did not change.
 * A file whose stat differs in any of these is hashed again.
 * @module
 */
import { dirname } from "node:path";
import { fileChecksums } from "./file_checksums.ts";

interface Remembered {
  size: number;
  mtime: number;
  ctime: number;
  ino: number;
  sha256: string;
}

const FORMAT = 1;

/** A memo stored in one JSON file. */
export class FileDigestMemo {
  #entries: Record<string, Remembered> = {};
  #changed = false;

  private constructor(readonly path: string) {}

  /** Loads the memo at `path` (a missing or unreadable file is an empty memo). */
  static async open(path: string): Promise<FileDigestMemo> {
    const memo = new FileDigestMemo(path);
    try {
      const data = JSON.parse(await Deno.readTextFile(path));
      if (data?.format === FORMAT && typeof data.files === "object") memo.#entries = data.files;
    } catch { /* start empty */ }
    return memo;
  }

  /** The SHA-256 of `file` (absolute), from the memo when its stat is unchanged. */
  async sha256(file: string): Promise<string> {
    const info = await Deno.stat(file);
    const stat = {
      size: info.size,
      mtime: info.mtime?.getTime() ?? -1,
      ctime: info.ctime?.getTime() ?? -1,
      ino: info.ino ?? -1,
    };
    const known = this.#entries[file];
    if (
      known && known.size === stat.size && known.mtime === stat.mtime &&
      known.ctime === stat.ctime && known.ino === stat.ino && stat.mtime !== -1
    ) {
      return known.sha256;
    }
    const { sha256 } = await fileChecksums(file);
    this.#entries[file] = { ...stat, sha256 };
    this.#changed = true;
    return sha256;
  }

  /** Writes the memo back if it changed (temp file + rename: readers never see half a file). */
  async save(): Promise<void> {
    if (!this.#changed) return;
    await Deno.mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify({ format: FORMAT, files: this.#entries }));
    await Deno.rename(tmp, this.path);
    this.#changed = false;
  }
}

/** Memos by cache folder, shared within a process (one planning run hashes each file once). */
const memos = new Map<string, Promise<FileDigestMemo>>();

/** The digest memo of a cache folder: `<cacheDir>/state/file-digests.json`. */
export function digestMemo(cacheDir: string): Promise<FileDigestMemo> {
  const path = `${cacheDir}/state/file-digests.json`;
  let memo = memos.get(path);
  if (!memo) memos.set(path, memo = FileDigestMemo.open(path));
  return memo;
}
