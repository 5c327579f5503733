/** MaxPool, AvgPool and their gradients on NHWC float32 tensors through oneDNN pooling. */
import { backend_util, type KernelConfig } from "@tensorflow/tfjs-core";
import { poolParams } from "./_conv_params.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
} from "./_kernel_utils.ts";

type Attrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "same" | "valid" | number | backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
};

function poolInfo(args: NativeKernelArgs, xShape: number[]) {
  const a = args.attrs as unknown as Attrs;
  return backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
}

function poolForward(args: NativeKernelArgs, isMax: boolean, name: string) {
  const { x } = args.inputs;
  if (!allFloat32(x) || x.shape.length !== 4) return cpuFallback(name, args);
  const backend = args.backend;
  const info = poolInfo(args, x.shape);
  const y = backend.allocFloat32(
    info.batchSize * info.outHeight * info.outWidth * info.outChannels,
  );
  backend.native.check(
    backend.native.symbols.cn_pool_fwd(poolParams(info, isMax), f32(backend, x), y),
  );
  return output(backend, info.outShape, y);
}

function poolBackward(args: NativeKernelArgs, isMax: boolean, name: string) {
  const { dy, input } = args.inputs;
  if (!allFloat32(dy, input) || input.shape.length !== 4) return cpuFallback(name, args);
  const backend = args.backend;
  const info = poolInfo(args, input.shape);
  const dx = backend.allocFloat32(
    input.shape[0] * input.shape[1] * input.shape[2] * input.shape[3],
  );
  backend.native.check(
    backend.native.symbols.cn_pool_bwd(
      poolParams(info, isMax),
      f32(backend, input),
      f32(backend, dy),
      dx,
    ),
  );
  return output(backend, input.shape, dx);
}

/** The pooling kernel configs registered under `native`. */
export const poolKernels: KernelConfig[] = [
  nativeKernel("MaxPool", (args) => poolForward(args, true, "MaxPool")),
  nativeKernel("AvgPool", (args) => poolForward(args, false, "AvgPool")),
  nativeKernel("MaxPoolGrad", (args) => poolBackward(args, true, "MaxPoolGrad")),
  nativeKernel("AvgPoolGrad", (args) => poolBackward(args, false, "AvgPoolGrad")),
];
