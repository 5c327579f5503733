/**
 * Loads build/libcnnlab_native.so (see build_native.sh) through Deno FFI and wraps each C entry
 * point so a failing call throws with the shim's own message. TypedArrays travel as "buffer"
 * arguments, so tensors are never copied on the way in or out.
 */

const symbols = {
  cn_version: { parameters: [], result: "i32" },
  cn_set_threads: { parameters: ["i32"], result: "i32" },
  cn_last_error: { parameters: [], result: "pointer" },
  cn_conv_fwd: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "f32"],
    result: "i32",
  },
  cn_conv_bwd_data: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  cn_conv_bwd_weights: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  cn_pool_fwd: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  cn_pool_bwd: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  cn_matmul: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "f32"],
    result: "i32",
  },
  cn_binary: {
    parameters: ["i32", "i32", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  cn_copy: { parameters: ["i32", "buffer", "buffer", "buffer", "buffer"], result: "i32" },
  cn_batchnorm_grad: {
    parameters: [
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  cn_batchnorm_train: {
    parameters: [
      ...["i32", "i32"],
      ...["buffer", "buffer", "buffer", "buffer", "buffer"],
      ...["f32", "f32"],
      ...["buffer", "buffer", "buffer", "buffer", "buffer"],
    ],
    result: "i32",
  },
  cn_batchnorm_train_grad: {
    parameters: [
      ...["i32", "i32"],
      ...["buffer", "buffer", "buffer", "buffer", "buffer"],
      "f32",
      ...["buffer", "buffer", "buffer"],
    ],
    result: "i32",
  },
  cn_adam: {
    parameters: [
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  cn_pad: {
    parameters: ["i32", "buffer", "buffer", "buffer", "buffer", "buffer", "f32"],
    result: "i32",
  },
  cn_unary: { parameters: ["i32", "i32", "buffer", "buffer", "f32"], result: "i32" },
  cn_clip: { parameters: ["i32", "buffer", "buffer", "f32", "f32"], result: "i32" },
  cn_reduce: { parameters: ["i32", "i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  cn_batchnorm: {
    parameters: [
      "i32",
      "i32",
      "buffer",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
    ],
    result: "i32",
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The raw symbols of the shim; every call returns 0 or -1 (then see {@linkcode NativeLibrary.check}). */
export type NativeSymbols = Deno.DynamicLibrary<typeof symbols>["symbols"];

/** An opened shim: its symbols plus a status checker that turns -1 into a thrown Error. */
export interface NativeLibrary {
  symbols: NativeSymbols;
  /** oneDNN version string, e.g. "2.6.3". */
  onednnVersion: string;
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
    return {
      ok: false,
      reason: isPermissionError(e)
        ? `Cannot load the native backend as ${path} cannot be read (${errorText(e)}): ` +
          permissionHint
        : `Cannot load the native backend as ${path} does not exist: ${installHint}`,
    };
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
  const v = s.cn_version();
  const library: NativeLibrary = {
    symbols: s,
    onednnVersion: `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`,
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

const permissionHint = "run with --allow-read --allow-ffi --allow-env (or -A)";

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
