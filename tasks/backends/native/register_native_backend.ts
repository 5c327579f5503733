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

/** Options of {@linkcode registerNativeBackend}. */
export interface RegisterNativeBackendOptions {
  /** Path of the shim library. Default: `$CNNLAB_NATIVE_LIB`, else `build/libcnnlab_native.so`. */
  libraryPath?: string;
  /**
   * OpenMP threads for the kernels. Default: `$CNNLAB_NATIVE_THREADS`, else OpenMP's default
   * (`$OMP_NUM_THREADS` or every core).
   */
  threads?: number;
  /**
   * Bytes of freed kernel outputs kept for reuse (0 disables the pool). Default:
   * `$CNNLAB_NATIVE_POOL_BYTES`, else 512 MiB.
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
  ...batchNormGradKernels,
  ...batchNormTrainingKernels,
  ...sigmoidTanhGradKernels,
  ...compareSelectKernels,
];

/** Names of {@linkcode NATIVE_KERNELS}. */
export const nativeKernelNames: readonly string[] = NATIVE_KERNELS.map((k) => k.kernelName);

let registered: { ok: true; onednn: string; threads: number } | undefined;

/**
 * Registers the tfjs backend `native`: tfjs-backend-cpu's storage and kernels, with the heavy
 * kernels (convolutions, matrix products, pooling, batch norm, element-wise and reductions)
 * replaced by oneDNN calls through Deno FFI that use all cores. Select it afterwards with
 * `await tf.setBackend("native")`. Calling it again returns the first outcome's success.
 *
 * Needs `--allow-ffi` (and `--allow-read`/`--allow-env` to find the library).
 * @returns `{ ok: true }` with the oneDNN version and thread count, or `{ ok: false, reason }`
 * saying why the library could not be loaded and how to install it.
 */
export function registerNativeBackend(
  options: RegisterNativeBackendOptions = {},
): Promise<
  { ok: true; onednn: string; threads: number } | { ok: false; reason: string }
> {
  if (registered !== undefined && findBackend("native") != null) {
    return Promise.resolve(registered);
  }
  const envThreads = Number(envVar("CNNLAB_NATIVE_THREADS") ?? "0");
  const opened = openNativeLibrary(options.libraryPath, options.threads ?? envThreads);
  if (!opened.ok) return Promise.resolve(opened);
  const library = opened.library;
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
  const envPool = envVar("CNNLAB_NATIVE_POOL_BYTES");
  const poolBytes = options.poolBytes ?? (envPool === undefined ? undefined : Number(envPool));
  registerBackend("native", () => new NativeBackend(library, { poolBytes }), options.priority ?? 1);
  registered = { ok: true, onednn: library.onednnVersion, threads: library.threads };
  return Promise.resolve(registered);
}
