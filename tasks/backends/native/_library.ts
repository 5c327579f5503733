/**
 * Loads build/libcnnlab_native.so (see build_native.sh) through Deno FFI and wraps each C entry
 * point so a failing call throws with the shim's own message. TypedArrays travel as "buffer"
 * arguments, so tensors are never copied on the way in or out. The symbol table comes from the
 * ABI header (src/cn_abi.h → _abi.ts); a library of another ABI version is refused.
 */
import { ABI_VERSION, symbols } from "./_abi.ts";

/** The raw symbols of the shim; every call returns 0 or -1 (then see {@linkcode NativeLibrary.check}). */
export type NativeSymbols = Deno.DynamicLibrary<typeof symbols>["symbols"];

/** An opened shim: its symbols plus a status checker that turns -1 into a thrown Error. */
export interface NativeLibrary {
  symbols: NativeSymbols;
  /** oneDNN version string, e.g. "2.6.3". */
  onednnVersion: string;
  /** The build id compiled into the library (see build_id.ts). */
  buildId: string;
  /** OpenMP threads the kernels use. */
  threads: number;
  /** Throws the shim's last error message when `status` is not 0. */
  check(status: number): void;
  close(): void;
}

/** Where the shim is looked up unless `CNNLAB_NATIVE_LIB` names another file. */
export function defaultLibraryPath(): string {
  const ext = Deno.build.os === "darwin" ? "dylib" : "so";
  return new URL(`../../../build/libcnnlab_native.${ext}`, import.meta.url).pathname;
}

const installHint = "install oneDNN with 'sudo apt-get install libdnnl-dev' (Homebrew: " +
  "'brew install onednn'), then run 'deno task setup' to build the shim";

/**
 * Opens the shim at `path`.
 * @returns the library, or a reason (what failed, why, how to fix) when it cannot be loaded.
 */
export function openNativeLibrary(
  path: string = envVar("CNNLAB_NATIVE_LIB") ?? defaultLibraryPath(),
  threads = 0,
): { ok: true; library: NativeLibrary } | { ok: false; reason: string } {
  try {
    Deno.statSync(path);
  } catch (e) {
    return { ok: false, reason: unreadableLibraryReason(path, e) };
  }
  // Spinning OpenMP workers steal the core the JavaScript thread needs between kernels (measured
  // 5-10x slower element-wise ops on 2 busy cores); libgomp reads this when the shim loads it.
  try {
    if (
      Deno.env.get("OMP_WAIT_POLICY") === undefined && Deno.env.get("GOMP_SPINCOUNT") === undefined
    ) {
      Deno.env.set("OMP_WAIT_POLICY", "PASSIVE");
    }
  } catch {
    // Without --allow-env OpenMP keeps its default; the kernels still work.
  }
  // The ABI version first, through a symbol every version has: a library of another version
  // may lack symbols of this one, and loading it with the full table would fail unexplained.
  let version: number | null;
  try {
    const probe = Deno.dlopen(path, { cn_abi_version: symbols.cn_abi_version });
    version = probe.symbols.cn_abi_version();
    probe.close();
  } catch (e) {
    if (isPermissionError(e) || !/cn_abi_version/.test(errorText(e))) {
      const hint = isPermissionError(e) ? permissionHint : installHint;
      return {
        ok: false,
        reason: `Cannot load the native backend from ${path} as ${errorText(e)}: ${hint}`,
      };
    }
    version = null; // built before the ABI had a version
  }
  if (version !== ABI_VERSION) {
    return {
      ok: false,
      reason: `Cannot load the native backend from ${path} as it was built for ABI version ` +
        `${version ?? "1"} and this code needs version ${ABI_VERSION}: rebuild it with ` +
        `'${rebuildCommand(path)}'`,
    };
  }
  let lib: Deno.DynamicLibrary<typeof symbols>;
  try {
    lib = Deno.dlopen(path, symbols);
  } catch (e) {
    const hint = isPermissionError(e) ? permissionHint : installHint;
    return {
      ok: false,
      reason: `Cannot load the native backend from ${path} as ${errorText(e)}: ${hint}`,
    };
  }
  const s = lib.symbols;
  const v = s.cn_onednn_version();
  const idPointer = s.cn_build_id();
  const library: NativeLibrary = {
    symbols: s,
    onednnVersion: `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`,
    buildId: idPointer === null ? "" : Deno.UnsafePointerView.getCString(idPointer),
    threads: s.cn_set_threads(threads),
    check(status: number) {
      if (status === 0) return;
      const p = s.cn_last_error();
      const message = p === null ? "unknown error" : Deno.UnsafePointerView.getCString(p);
      throw new Error(`Native backend kernel failed in ${message}`);
    },
    close: () => lib.close(),
  };
  return { ok: true, library };
}

/** Why the library at `path` cannot be used when reading it failed with `e`, and what to do. */
export function unreadableLibraryReason(path: string, e: unknown): string {
  return isPermissionError(e)
    ? `Cannot load the native backend as ${path} cannot be read (${errorText(e)}): ` +
      permissionHint
    : `Cannot load the native backend as ${path} does not exist: ${installHint}`;
}

/** The command that rebuilds the library at `path` from the shim's sources. */
export function rebuildCommand(path: string): string {
  const command = "bash tasks/backends/native/build_native.sh";
  return path === defaultLibraryPath() ? command : `${command} --out ${path}`;
}

/** What to add when a permission is missing (the build id needs the compiler run: --allow-run). */
export const permissionHint = "run with --allow-read --allow-ffi --allow-env --allow-run (or -A)";

function isPermissionError(e: unknown): boolean {
  return e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An environment variable, or undefined when unset or when --allow-env does not cover it. */
export function envVar(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
