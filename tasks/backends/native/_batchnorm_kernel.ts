/** FusedBatchNorm (inference form: given mean and variance) over the last axis. */
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { packBatchnormParams, packBatchnormTensors } from "./_abi.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
} from "./_kernel_utils.ts";

const none = new Float32Array(1);

function batchNorm(args: NativeKernelArgs) {
  const { x, scale, offset, mean, variance } = args.inputs;
  if (!allFloat32(x, scale, offset, mean, variance) || x.shape.length === 0) {
    return cpuFallback("FusedBatchNorm", args);
  }
  const backend = args.backend;
  const channels = x.shape[x.shape.length - 1];
  const stat = (t: typeof x | undefined) => t == null ? none : f32(backend, t);
  const lengthOf = (t: typeof x | undefined) => t == null ? 0 : stat(t).length;
  // Statistics of any other length (e.g. full-size) keep the cpu kernel's cyclic indexing.
  const fits = [mean, variance, scale, offset].every((t) => {
    const n = t == null ? 1 : stat(t).length;
    return n === 1 || n === channels;
  });
  if (!fits || channels === 0) return cpuFallback("FusedBatchNorm", args);
  const values = f32(backend, x);
  const out = backend.allocFloat32(values.length);
  const eps = (args.attrs as { varianceEpsilon?: number }).varianceEpsilon ?? 0.001;
  backend.native.check(backend.native.symbols.cn_batchnorm(
    packBatchnormParams({
      rows: values.length / channels,
      channels,
      meanLength: lengthOf(mean),
      varianceLength: lengthOf(variance),
      offsetLength: lengthOf(offset),
      scaleLength: lengthOf(scale),
      epsilon: eps,
      momentum: 0,
    }),
    packBatchnormTensors({
      x: values,
      mean: stat(mean),
      variance: stat(variance),
      offset: stat(offset),
      scale: stat(scale),
      y: out,
    }),
  ));
  return output(backend, x.shape, out);
}

/** The batch-norm kernel config registered under `native`. */
export const batchNormKernels: KernelConfig[] = [nativeKernel("FusedBatchNorm", batchNorm)];
