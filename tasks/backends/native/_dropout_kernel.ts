/**
 * `CnnlabDropout` on the `native` backend: x times the dropout mask of tasks/ops/dropout.ts
 * (`cn_dropout`, one multi-threaded pass that hashes each index; the mask is never stored).
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { DROPOUT, type DropoutAttrs } from "../../ops/dropout.ts";
import { f32, nativeKernel, type NativeKernelArgs, output } from "./_kernel_utils.ts";

function dropoutKernel(args: NativeKernelArgs): TensorInfo {
  const { x } = args.inputs;
  const backend = args.backend;
  // tasks/ops/dropout.ts only runs it on float32; no other backend has this kernel to fall back on.
  if (x.dtype !== "float32") throw new TypeError(`${DROPOUT} needs float32 values, got ${x.dtype}`);
  const { seed, threshold, scale } = args.attrs as unknown as DropoutAttrs;
  const xs = f32(backend, x);
  const y = backend.allocFloat32(xs.length);
  if (xs.length > 0) {
    backend.native.check(
      backend.native.symbols.cn_dropout(xs.length, xs, y, seed, threshold, scale),
    );
  }
  return output(backend, x.shape, y);
}

/** The dropout kernel config registered under `native`. */
export const dropoutKernels: KernelConfig[] = [nativeKernel(DROPOUT, dropoutKernel)];
