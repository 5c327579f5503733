import { dirname, relative } from "node:path";
import { fileURLToPath as fromFileUrl, pathToFileURL } from "node:url";
import { scanImports } from "./_scan_imports.ts";
import { sha256 } from "./sha256.ts";

/** A stage's code: file (relative to the stage module's folder, `./train.ts`) → SHA-256. */
export type CodeHashes = Record<string, string>;

/** The code a stage runs, as far as the hasher can see it. */
export interface StageCode {
  /** Every file reached from the roots, sorted by path. */
  files: CodeHashes;
  /**
   * Every package imported by a bare or `npm:`/`jsr:` specifier → the version it resolves to
   * here (`vega@6.4.0`): a new version of a library can change what a stage computes.
   */
  packages: Record<string, string>;
  /**
   * Why the code set may be incomplete (empty when fully tracked): a computed `import()` or an
   * import that does not resolve. A stage with any of these is never restored from the cache.
   */
  untracked: string[];
}

const SCRIPT = /\.(?:[mc]?[jt]sx?)$/;

interface FileInfo {
  hash: string;
  /** Absolute paths of the local files it loads (imports and literal `new URL` references). */
  loads: string[];
  /** Package specifiers it imports (bare, `npm:`, `jsr:`), resolved by the caller. */
  packages: string[];
  /** Problems that make the code set incomplete, as `file:line: what`. */
  untracked: string[];
}

/** Options of {@linkcode hashStageCode}. */
export interface HashStageCodeOptions {
  /** Memo shared across calls (one per process is fine: a pipeline run does not edit sources). */
  memo?: Map<string, Promise<FileInfo | undefined>>;
  /**
   * Resolves a package specifier to what identifies its version. Default: the project's import
   * map (`import.meta.resolve`), shortened to `name@version` where the path names one.
   * Throws when the package is not a dependency.
   */
  resolvePackage?: (specifier: string) => string;
}

/** `…/node_modules/.deno/vega@6.4.0/node_modules/vega/x.js` → `vega@6.4.0` (else the URL). */
export function resolvePackageVersion(specifier: string): string {
  const url = import.meta.resolve(specifier);
  const versioned = url.match(/\/node_modules\/\.deno\/([^/]+)\//)?.[1];
  return versioned ? versioned.replace(/^(@[^+]+)\+/, "$1/") : url;
}

function isLocal(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") ||
    specifier.startsWith("/") || specifier.startsWith("file:");
}

async function readFileInfo(path: string): Promise<FileInfo | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) {
      return undefined;
    }
    throw error;
  }
  const info: FileInfo = { hash: sha256(bytes), loads: [], packages: [], untracked: [] };
  if (!SCRIPT.test(path)) return info;
  const scanned = scanImports(new TextDecoder().decode(bytes));
  const base = pathToFileURL(path);
  const where = (line: number) => `${path}:${line}`;
  // Whether a loaded file exists is checked when it is visited (it may be shared).
  for (const { specifier } of [...scanned.imports, ...scanned.references]) {
    if (isLocal(specifier) && !specifier.endsWith("/")) {
      info.loads.push(fromFileUrl(new URL(specifier, base)));
    }
  }
  for (const { specifier } of scanned.imports) {
    if (!isLocal(specifier) && !/^(?:node|data|https?):/.test(specifier)) {
      info.packages.push(specifier);
    }
  }
  for (const { line, vouched } of scanned.computed) {
    if (vouched === undefined) info.untracked.push(`${where(line)}: computed import()`);
  }
  return info;
}

/**
 * Hashes the code a stage runs: its module and every further root (e.g. the model family and the
 * backend its params select), with every local file they reach through static imports, literal
 * `import("./x")` and literal `new URL("./x", import.meta.url)` references, transitively. Bare,
 * `npm:` and `jsr:` specifiers are recorded with the version they resolve to, not followed;
 * `node:` built-ins go with the Deno version; type-only imports cannot change results. A computed `import()` (unless vouched
 * for, see `_scan_imports.ts`) or a local import that does not exist makes the code set
 * untracked: the engine then never restores the stage from the cache.
 * @returns the hashes (paths relative to the first root's folder) and the untracked reasons.
 * @throws {Error} when a root is not a readable local file.
 */
export async function hashStageCode(
  roots: readonly URL[],
  options: HashStageCodeOptions = {},
): Promise<StageCode> {
  const memo = options.memo ?? new Map<string, Promise<FileInfo | undefined>>();
  const info = (path: string) => {
    let entry = memo.get(path);
    if (!entry) memo.set(path, entry = readFileInfo(path));
    return entry;
  };
  const rootPaths = roots.map((root) => {
    if (root.protocol !== "file:") {
      throw new Error(`Cannot hash stage module ${root.href} as it is not a local file`);
    }
    return fromFileUrl(root);
  });
  const base = dirname(rootPaths[0]);
  const files: CodeHashes = {};
  const untracked: string[] = [];
  const packages: Record<string, string> = {};
  const resolvePackage = options.resolvePackage ?? resolvePackageVersion;
  const queue: { path: string; from?: string }[] = rootPaths.map((path) => ({ path }));
  const seen = new Set(rootPaths);
  while (queue.length) {
    const { path, from } = queue.shift()!;
    const file = await info(path);
    if (file === undefined) {
      if (from === undefined) {
        throw new Error(`Cannot hash stage module ${path} as it does not exist`);
      }
      untracked.push(`${from}: imports ${relative(dirname(from), path)}, which does not exist`);
      continue;
    }
    const name = relative(base, path);
    files[name.startsWith(".") ? name : `./${name}`] = file.hash;
    untracked.push(...file.untracked);
    for (const specifier of file.packages) {
      if (specifier in packages) continue;
      try {
        packages[specifier] = resolvePackage(specifier);
      } catch {
        untracked.push(`${path}: imports package ${specifier}, which does not resolve here`);
        packages[specifier] = "unresolved";
      }
    }
    for (const next of file.loads) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push({ path: next, from: path });
      }
    }
  }
  return {
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
    packages: Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b))),
    untracked: [...new Set(untracked)].sort(),
  };
}
