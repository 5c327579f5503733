import { dirname, relative } from "node:path";
import { fileURLToPath as fromFileUrl, pathToFileURL } from "node:url";
import { sha256 } from "./sha256.ts";

/** Per stage module: file (relative to the module's folder, `./train.ts`) → SHA-256 of its source. */
export type CodeHashes = Record<string, string>;

// Static `import … from "x"`, `export … from "x"`, `import "x"` and literal `import("x")`;
// group 1 is set for `import type` / `export type`, which cannot change what a stage computes
// (so editing a types-only file, such as pipelines/types.ts, does not invalidate every stage).
const SPECIFIERS = [
  /(?:^|[^\w$.])(?:import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?["']([^"']+)["']/g,
  /(?:^|[^\w$.])import\s*\(()\s*["']([^"']+)["']\s*[,)]/g,
];
const SCANNED = /\.(?:[mc]?[jt]sx?)$/;

interface FileInfo {
  hash: string;
  localImports: string[];
}

/** Reads, hashes and scans one file; missing files hash as "missing" (a commented-out import). */
async function readFileInfo(path: string): Promise<FileInfo> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { hash: "missing", localImports: [] };
    throw error;
  }
  const localImports: string[] = [];
  if (SCANNED.test(path)) {
    for (const pattern of SPECIFIERS) {
      for (const [, typeOnly, specifier] of text.matchAll(pattern)) {
        if (typeOnly) continue;
        if (specifier.startsWith("./") || specifier.startsWith("../")) {
          localImports.push(fromFileUrl(new URL(specifier, pathToFileURL(path))));
        }
      }
    }
  }
  return { hash: sha256(text), localImports };
}

/** Options of {@linkcode hashModuleCode}. */
export interface HashModuleCodeOptions {
  /** Memo shared across calls (one per process is fine: a pipeline run does not edit sources). */
  memo?: Map<string, Promise<FileInfo>>;
}

/**
 * Hashes a stage module's source and every file it reaches through relative import/export
 * specifiers (transitively). Bare and `npm:`/`node:` specifiers are not followed: versions of
 * libraries belong in the runtime facts. Type-only imports (`import type`, `export type … from`)
 * are not followed either. No subprocess, so it is fast.
 * @returns file path relative to the module's folder → SHA-256, sorted by path.
 * @throws {Error} when the module itself cannot be read.
 */
export async function hashModuleCode(
  module: URL,
  options: HashModuleCodeOptions = {},
): Promise<CodeHashes> {
  if (module.protocol !== "file:") {
    throw new Error(`Cannot hash stage module ${module.href} as it is not a local file`);
  }
  const memo = options.memo ?? new Map<string, Promise<FileInfo>>();
  const root = fromFileUrl(module);
  const base = dirname(root);
  const info = (path: string) => {
    let entry = memo.get(path);
    if (!entry) memo.set(path, entry = readFileInfo(path));
    return entry;
  };
  const rootInfo = await info(root);
  if (rootInfo.hash === "missing") {
    throw new Error(`Cannot hash stage module ${root} as it does not exist`);
  }
  const hashes: CodeHashes = {};
  const queue = [root];
  const seen = new Set(queue);
  while (queue.length) {
    const path = queue.shift()!;
    const { hash, localImports } = await info(path);
    const name = relative(base, path);
    hashes[name.startsWith(".") ? name : `./${name}`] = hash;
    for (const next of localImports) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b)));
}
