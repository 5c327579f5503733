/**
 * Sum, Mean, Max and Min over a contiguous block of axes, without the transpose the cpu backend
 * makes first (bias and batch-norm gradients reduce NHWC tensors over [0, 1, 2]).
 */
import { backend_util, type KernelConfig, util } from "@tensorflow/tfjs-core";
import { ReduceOp } from "./_abi.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
  sizeOf,
} from "./_kernel_utils.ts";

function reduce(op: number, name: string, axisAttr: string) {
  return nativeKernel(name, (args: NativeKernelArgs) => {
    const { x } = args.inputs;
    const attrs = args.attrs as Record<string, unknown>;
    if (!allFloat32(x)) return cpuFallback(name, args);
    const axes = util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape)
      .sort((p, q) => p - q);
    const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
    if (axes.length === 0 || !contiguous) return cpuFallback(name, args);
    const first = axes[0], last = axes[axes.length - 1];
    const outer = sizeOf(x.shape.slice(0, first));
    const r = sizeOf(x.shape.slice(first, last + 1));
    const inner = sizeOf(x.shape.slice(last + 1));
    if (r === 0) return cpuFallback(name, args);
    const backend = args.backend;
    const out = backend.allocFloat32(outer * inner);
    if (out.length > 0) {
      backend.native.check(
        backend.native.symbols.cn_reduce(op, outer, r, inner, f32(backend, x), out),
      );
    }
    const [reducedShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const shape = attrs.keepDims
      ? backend_util.expandShapeToKeepDim(reducedShape, axes)
      : reducedShape;
    return output(backend, shape, out);
  });
}

/** The reduction kernel configs registered under `native`. */
export const reduceKernels: KernelConfig[] = [
  reduce(ReduceOp.SUM, "Sum", "axis"),
  reduce(ReduceOp.MEAN, "Mean", "axis"),
  reduce(ReduceOp.MAX, "Max", "reductionIndices"),
  reduce(ReduceOp.MIN, "Min", "axis"),
];
