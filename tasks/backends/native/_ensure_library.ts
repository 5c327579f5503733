/**
 * Makes sure the shim at a path was built from the current sources and flags: compares the build
 * id compiled into it with the one the sources give (build_id.ts) and rebuilds it when they
 * differ, so a kernel edited in src/ never runs as its old self.
 */
import { NATIVE_SOURCE_DIR, nativeSourceBuildId, readLibraryBuildId } from "./build_id.ts";
import {
  defaultLibraryPath,
  envVar,
  permissionHint,
  rebuildCommand,
  unreadableLibraryReason,
} from "./_library.ts";

/** Options of {@linkcode ensureNativeLibrary}. */
export interface EnsureNativeLibraryOptions {
  /** The library. Default: `$CNNLAB_NATIVE_LIB`, else build/libcnnlab_native.so. */
  libraryPath?: string;
  /** The sources it must match. Default: `$CNNLAB_NATIVE_SRC`, else tasks/backends/native/src/. */
  sourceDir?: string;
  /** Rebuild a stale library (true) or refuse it (false). Default: true. */
  rebuild?: boolean;
  /** Where the one line about a rebuild goes. Default: stderr. */
  log?: (line: string) => void;
}

/** What {@linkcode ensureNativeLibrary} found. */
export type EnsuredLibrary =
  | { ok: true; path: string; buildId: string; rebuilt: boolean }
  | { ok: false; reason: string };

const BUILD_SCRIPT = new URL("./build_native.sh", import.meta.url).pathname;

/**
 * The sources the shim is built from: `$CNNLAB_NATIVE_SRC` (a copy of src/ to try kernel edits
 * on, or a test's), else the project's own src/.
 */
export function nativeSourceDir(): string {
  return envVar("CNNLAB_NATIVE_SRC") || NATIVE_SOURCE_DIR;
}

/**
 * Checks the library's build id against the sources' and rebuilds it on a mismatch. A missing
 * library is not built here: the reason says how to install oneDNN and build it.
 * @returns the path and its (now current) build id, or why it cannot be used and the command that
 * rebuilds it.
 */
export async function ensureNativeLibrary(
  options: EnsureNativeLibraryOptions = {},
): Promise<EnsuredLibrary> {
  const path = options.libraryPath ?? envVar("CNNLAB_NATIVE_LIB") ?? defaultLibraryPath();
  const sourceDir = options.sourceDir ?? nativeSourceDir();
  const command = rebuildCommand(path) +
    (sourceDir === NATIVE_SOURCE_DIR ? "" : ` --src ${sourceDir}`);
  let found: string | null;
  try {
    found = readLibraryBuildId(path);
  } catch (e) {
    return { ok: false, reason: unreadableLibraryReason(path, e) };
  }
  let expected: string;
  try {
    expected = await nativeSourceBuildId(sourceDir);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      reason: /NotCapable|Requires (run|read|env) access/.test(why)
        ? `Cannot check that ${path} matches its sources (${why}): ${permissionHint}`
        : `Cannot check that ${path} matches its sources: ${why}`,
    };
  }
  if (found === expected) return { ok: true, path, buildId: found, rebuilt: false };
  const stale = found === null
    ? `${path} has no build id (built before build ids)`
    : `${path} was built from other sources or flags (build ${found.slice(0, 12)}, sources ` +
      `${expected.slice(0, 12)})`;
  if (options.rebuild === false) {
    return {
      ok: false,
      reason: `Cannot use the native backend as ${stale}: rebuild it with '${command}'`,
    };
  }
  const log = options.log ?? ((line: string) => console.error(line));
  log(`native backend: ${stale}; rebuilding with '${command}'`);
  const out = await new Deno.Command("bash", {
    args: [BUILD_SCRIPT, "--src", sourceDir, "--out", path],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
    // The compiler's first error says most; the script's own last line says the rest.
    const why = lines.find((l) => /\berror\b/i.test(l)) ?? lines.at(-1) ?? `exit ${out.code}`;
    return {
      ok: false,
      reason: `Cannot use the native backend as ${stale} and rebuilding it failed ` +
        `(${why.trim()}): fix that, then run '${command}'`,
    };
  }
  const rebuilt = readLibraryBuildId(path);
  if (rebuilt !== expected) {
    return {
      ok: false,
      reason: `Cannot use the native backend as ${path}, rebuilt, carries build ${rebuilt} but ` +
        `its sources give ${expected}: build_native.sh and build_id.ts disagree on the id`,
    };
  }
  return { ok: true, path, buildId: expected, rebuilt: true };
}
