/**
 * `Slice` and `PadV2` for the wasm backend as copies of the longest contiguous runs. The
 * backend's Slice copies one innermost row per call (34 ms to crop 128×16×16×64 to 14×14, the
 * gradient of ResNet's max-pool padding), its PadV2 computes an index per element (8 ms to pad
 * 128×28×28×1 by 3).
 * @module
 */
import {
  type KernelBackend,
  type KernelConfig,
  PadV2,
  type PadV2Attrs,
  Slice,
  slice_util,
  type SliceAttrs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { heapView, makeOutput } from "./_heap.ts";
import { originalKernel } from "./_original_kernels.ts";

type View = Float32Array | Int32Array | Uint8Array;

/** `dst[to..to+n) = src[from..from+n)`; short runs by hand, long ones as one `set`. */
function copyRun(src: View, from: number, dst: View, to: number, n: number): void {
  if (n >= 32) dst.set(src.subarray(from, from + n), to);
  else for (let i = 0; i < n; i++) dst[to + i] = src[from + i];
}

/**
 * Calls `visit(index)` for every index of `shape[0..axes)` in row-major order (the odometer of
 * the axes outside a contiguous run).
 */
function forEachOuter(shape: number[], axes: number, visit: (index: number[]) => void): void {
  const index = new Array<number>(axes).fill(0);
  if (shape.slice(0, axes).some((d) => d === 0)) return;
  while (true) {
    visit(index);
    let d = axes - 1;
    while (d >= 0 && ++index[d] === shape[d]) index[d--] = 0;
    if (d < 0) return;
  }
}

/** Offset of `index` (over the leading axes) plus `shift` per axis, with `strides`. */
function offsetOf(index: number[], shift: number[], strides: number[]): number {
  let at = 0;
  for (let d = 0; d < index.length; d++) at += (index[d] + shift[d]) * strides[d];
  return at;
}

function stridesOf(shape: number[]): number[] {
  return [...util.computeStrides(shape), 1];
}

/** The block of `x` at `begin` of extent `size`. */
export function slice(
  args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: SliceAttrs },
): TensorInfo {
  const { inputs: { x }, backend, attrs } = args;
  if (x.dtype === "string" || x.shape.length === 0) {
    return originalKernel(Slice)(args as never) as TensorInfo;
  }
  const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size);
  const out = makeOutput(backend, size, x.dtype);
  if (util.sizeFromShape(size) === 0) return out;
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  // The run: the innermost non-full axis and every (full) axis inside it.
  let k = size.length - 1;
  let run = size[k];
  while (k > 0 && size[k] === x.shape[k]) run *= size[--k];
  const strides = stridesOf(x.shape);
  let to = 0;
  forEachOuter(size, k, (index) => {
    copyRun(src, offsetOf(index, begin, strides) + begin[k] * strides[k], dst, to, run);
    to += run;
  });
  return out;
}

/** `x` padded with `constantValue` by `paddings`. */
export function padV2(
  args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: PadV2Attrs },
): TensorInfo {
  const { inputs: { x }, backend, attrs: { paddings, constantValue } } = args;
  const shape = x.shape;
  if (x.dtype === "string" || shape.length === 0 || util.sizeFromShape(shape) === 0) {
    return originalKernel(PadV2)(args as never) as TensorInfo;
  }
  const outShape = shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const out = makeOutput(backend, outShape, x.dtype);
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  dst.fill(constantValue);
  // The run: the innermost padded axis and every (unpadded) axis inside it.
  let k = shape.length - 1;
  let run = shape[k];
  while (k > 0 && paddings[k][0] === 0 && paddings[k][1] === 0) run *= shape[--k];
  const outStrides = stridesOf(outShape);
  const before = paddings.map((p) => p[0]);
  let from = 0;
  forEachOuter(shape, k, (index) => {
    copyRun(src, from, dst, offsetOf(index, before, outStrides) + before[k] * outStrides[k], run);
    from += run;
  });
  return out;
}

/** Registration records of the two kernels for backend `wasm`. */
export const slicePadConfigs: KernelConfig[] = [
  { kernelName: Slice, backendName: "wasm", kernelFunc: slice as never },
  { kernelName: PadV2, backendName: "wasm", kernelFunc: padV2 as never },
];
