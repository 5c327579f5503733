import { join, relative, sep } from "node:path";
import { unzipSync } from "fflate";

/** Read access to the files of a folder or a zip archive, by '/'-separated relative path. */
export interface FileTree {
  /** Every file path, relative to the root. */
  paths: string[];
  /** The bytes of one file from `paths`. */
  read(path: string): Uint8Array;
}

/** A folder on disk as a {@linkcode FileTree}: lists it recursively, reads lazily. */
export function folderTree(root: string): FileTree {
  const paths: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const full = join(dir, entry.name);
      if (entry.isDirectory) walk(full);
      else if (entry.isFile) paths.push(relative(root, full).split(sep).join("/"));
    }
  };
  walk(root);
  return { paths, read: (path) => Deno.readFileSync(join(root, path)) };
}

/**
 * A zip archive as a {@linkcode FileTree}, keeping only the files `keep` accepts (by their
 * full path in the archive).
 *
 * @throws Error when the archive is damaged or truncated.
 */
export function zipTree(zipPath: string, keep: (path: string) => boolean): FileTree {
  const bytes = Deno.readFileSync(zipPath);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => !f.name.endsWith("/") && keep(f.name) });
  } catch (error) {
    throw new Error(
      `Cannot read ${zipPath} as zip: ${(error as Error).message}; the archive is damaged or ` +
        "truncated, delete it and fetch it again",
    );
  }
  const byPath = new Map(Object.entries(files));
  return {
    paths: [...byPath.keys()],
    read: (path) => {
      const data = byPath.get(path);
      if (data === undefined) throw new Error(`${zipPath} has no member ${path}`);
      return data;
    },
  };
}
