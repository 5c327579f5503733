import "@tensorflow/tfjs-backend-cpu";
import {
  findBackend,
  getKernel,
  getKernelsForBackend,
  type KernelConfig,
  registerBackend,
  registerKernel,
} from "@tensorflow/tfjs-core";
import { envVar, openNativeLibrary } from "./_library.ts";
import { ensureNativeLibrary } from "./_ensure_library.ts";
import { NativeBackend } from "./native_backend.ts";
import { convKernels } from "./_conv_kernels.ts";
import { compareSelectKernels } from "./_compare_select_kernels.ts";
import { poolKernels } from "./_pool_kernels.ts";
import { matMulKernels } from "./_matmul_kernels.ts";
import { elementwiseKernels } from "./_elementwise_kernels.ts";
import { reduceKernels } from "./_reduce_kernels.ts";
import { batchNormKernels } from "./_batchnorm_kernel.ts";
import { slicePadKernels } from "./_slice_pad_kernels.ts";
import { withShareCheck } from "./_share_check.ts";
import { fusedAdamKernels } from "./_fused_adam_kernel.ts";
import { batchNormGradKernels, installNativeBatchNormGradient } from "./_batchnorm_grad.ts";
import { installNativeSigmoidTanhGradients, sigmoidTanhGradKernels } from "./_sigmoid_grad.ts";
import { batchNormTrainingKernels } from "./_batchnorm_training.ts";
import { concatSplitKernels } from "./_concat_split_kernels.ts";
import { clipGradKernels, installNativeClipGradient } from "./_clip_grad.ts";
import { dropoutKernels } from "./_dropout_kernel.ts";
import { installNativeMeanGradient } from "./_mean_grad.ts";
import { fusedSgdKernels } from "./_fused_sgd_kernel.ts";
import { resizeKernels } from "./_resize_kernels.ts";
import { installReluOutputGradient } from "./_relu_grad.ts";

/** Options of {@linkcode registerNativeBackend}. */
export interface RegisterNativeBackendOptions {
  /** Path of the shim library. Default: `$CNNLAB_NATIVE_LIB`, else `build/libcnnlab_native.so`. */
  libraryPath?: string;
  /**
   * The sources the library must have been built from. Default: `$CNNLAB_NATIVE_SRC`, else
   * tasks/backends/native/src/.
   */
  sourceDir?: string;
  /** Rebuild a library built from other sources or flags (else refuse it). Default: true. */
  rebuild?: boolean;
  /** Where the one line about a rebuild goes. Default: stderr. */
  log?: (line: string) => void;
  /**
   * OpenMP threads for the kernels. Default: `$CNNLAB_THREADS`, else OpenMP's default
   * (`$OMP_NUM_THREADS` or every core).
   */
  threads?: number;
  /**
   * Bytes of freed kernel outputs kept for reuse (0 disables the pool). Default:
   * `$CNNLAB_NATIVE_POOL_BYTES`, else 64 MiB.
   */
  poolBytes?: number;
  /** tfjs backend priority (higher wins in `tf.ready()` without `setBackend`). Default: 1. */
  priority?: number;
}

/** The kernels the `native` backend implements itself; every other kernel is the cpu one. */
const NATIVE_KERNELS: readonly KernelConfig[] = [
  ...convKernels,
  ...poolKernels,
  ...matMulKernels,
  ...elementwiseKernels,
  ...reduceKernels,
  ...batchNormKernels,
  ...slicePadKernels,
  ...fusedAdamKernels,
  ...fusedSgdKernels,
  ...batchNormGradKernels,
  ...batchNormTrainingKernels,
  ...sigmoidTanhGradKernels,
  ...compareSelectKernels,
  ...concatSplitKernels,
  ...clipGradKernels,
  ...dropoutKernels,
  ...resizeKernels,
];

/** Names of {@linkcode NATIVE_KERNELS}. */
export const nativeKernelNames: readonly string[] = NATIVE_KERNELS.map((k) => k.kernelName);

/** A registered `native` backend: its oneDNN version, OpenMP threads and build id. */
export interface NativeRegistration {
  ok: true;
  onednn: string;
  threads: number;
  /** SHA-256 of the shim's sources and compiler command line (build_id.ts). */
  buildId: string;
}

let registered: NativeRegistration | undefined;

/**
 * The thread count `$CNNLAB_THREADS` asks for: a positive integer, or 0 (unset: OpenMP's default).
 * @throws Error naming the variable when it holds anything else.
 */
export function threadsFromEnv(): number {
  const text = envVar("CNNLAB_THREADS");
  if (text === undefined || text === "") return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(
      `Cannot use CNNLAB_THREADS=${text}: it must be a positive integer (threads per process)`,
    );
  }
  return n;
}

/**
 * Registers the tfjs backend `native`: tfjs-backend-cpu's storage and kernels, with the heavy
 * kernels (convolutions, matrix products, pooling, batch norm, element-wise and reductions)
 * replaced by oneDNN calls through Deno FFI that use all cores. Select it afterwards with
 * `await tf.setBackend("native")`. Calling it again returns the first outcome's success.
 *
 * The library must carry the build id of the current sources and flags (build_id.ts); a stale
 * one is rebuilt first (one line on stderr says so) unless `rebuild` is false.
 *
 * Needs `--allow-ffi`, `--allow-read`, `--allow-env` and `--allow-run` (the compiler's version
 * is part of the build id).
 * @returns `{ ok: true }` with the oneDNN version, thread count and build id, or
 * `{ ok: false, reason }` saying why the library could not be used and how to fix it.
 */
export async function registerNativeBackend(
  options: RegisterNativeBackendOptions = {},
): Promise<NativeRegistration | { ok: false; reason: string }> {
  if (registered !== undefined && findBackend("native") != null) return registered;
  let threads: number;
  try {
    threads = options.threads ?? threadsFromEnv();
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const ensured = await ensureNativeLibrary(options);
  if (!ensured.ok) return ensured;
  const opened = openNativeLibrary(ensured.path, threads);
  if (!opened.ok) return opened;
  const library = opened.library;
  if (library.buildId !== ensured.buildId) {
    library.close();
    return {
      ok: false,
      reason: `Cannot use the native backend as ${ensured.path} reports build ` +
        `${library.buildId || "(none)"} but its file says ${ensured.buildId}: rebuild it with ` +
        `'bash tasks/backends/native/build_native.sh'`,
    };
  }
  for (const k of NATIVE_KERNELS) {
    if (getKernel(k.kernelName, "native") === undefined) registerKernel(k);
  }
  for (const k of getKernelsForBackend("cpu")) {
    if (getKernel(k.kernelName, "native") === undefined) {
      registerKernel({ ...k, backendName: "native", kernelFunc: withShareCheck(k.kernelFunc) });
    }
  }
  installNativeBatchNormGradient();
  installNativeSigmoidTanhGradients();
  installNativeClipGradient();
  installNativeMeanGradient();
  installReluOutputGradient();
  const envPool = envVar("CNNLAB_NATIVE_POOL_BYTES");
  const poolBytes = options.poolBytes ?? (envPool === undefined ? undefined : Number(envPool));
  registerBackend("native", () => new NativeBackend(library, { poolBytes }), options.priority ?? 1);
  registered = {
    ok: true,
    onednn: library.onednnVersion,
    threads: library.threads,
    buildId: library.buildId,
  };
  return registered;
}
