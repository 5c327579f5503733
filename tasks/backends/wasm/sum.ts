/**
 * `Sum` for the wasm backend over leading axes (bias and batch-norm gradients reduce
 * [b,h,w,c] over b,h,w): the backend's kernel transposes the reduced axes to the end first,
 * a full extra pass; here rows are accumulated in place. Other reductions use the original.
 * @module
 */
import {
  type KernelBackend,
  type KernelConfig,
  Sum,
  type SumAttrs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { heapView, makeOutput } from "./_heap.ts";
import { originalKernel } from "./_original_kernels.ts";

/** Sum over a leading block of axes, accumulated in float64 per output element. */
export function sum(
  args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: SumAttrs },
): TensorInfo {
  const { inputs: { x }, backend, attrs } = args;
  const rank = x.shape.length;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== "float32") return originalKernel(Sum)(args as never) as TensorInfo;
  const kept = x.shape.slice(axes.length);
  const width = util.sizeFromShape(kept);
  const rows = util.sizeFromShape(x.shape) / width;
  const acc = new Float64Array(width);
  const src = heapView(backend, x) as Float32Array;
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let k = 0; k < width; k++) acc[k] += src[base + k];
  }
  const shape = attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept;
  const out = makeOutput(backend, shape, "float32");
  (heapView(backend, out) as Float32Array).set(acc);
  return out;
}

/** Registration record of {@linkcode sum} for backend `wasm`. */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: "wasm",
  kernelFunc: sum as unknown as KernelConfig["kernelFunc"],
};
