/**
 * `Add`, `Sub`, `Multiply` and `RealDiv` for the wasm backend when the operands broadcast. The
 * backend's broadcasting path pays per innermost row and per call: 3.4 ms for 128×28×28×6 + [6]
 * against 0.23 ms for same shapes, and 0.6 ms for [128,10] − [128,1] (the loss does several).
 *
 * - A per-channel operand (`[..., c]` with `[c]`: a bias, a statistic) against a large one: the
 *   large operand is viewed as rows of `c·k` values and the vector repeated `k` times, so the
 *   backend's own kernel runs with long rows (0.12 ms).
 * - Small outputs: a JS loop over the heap (exact: float32 operands, one rounding per result).
 * - Same shapes and everything else: the backend's kernel.
 * @module
 */
import {
  Add,
  backend_util,
  type KernelBackend,
  type KernelConfig,
  Multiply,
  RealDiv,
  Sub,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { repeatChannels, rowsPerBlock } from "./_channel_rows.ts";
import { heapView, makeOutput } from "./_heap.ts";
import { release, reshape } from "./_ops.ts";
import { originalKernel } from "./_original_kernels.ts";

type Args = { inputs: { a: TensorInfo; b: TensorInfo }; backend: KernelBackend };
type Op = (x: number, y: number) => number;

/** Outputs up to this size broadcast in JS, where a call costs microseconds. */
const SMALL = 16384;

/** Whether `small` is a vector along the last axis of `big` (`[c]` or `[1, …, 1, c]`). */
function isChannelVector(small: TensorInfo, big: TensorInfo): boolean {
  const c = big.shape[big.shape.length - 1];
  const s = small.shape;
  return s.length >= 1 && s.length <= big.shape.length && s[s.length - 1] === c &&
    s.slice(0, -1).every((d) => d === 1) && util.sizeFromShape(big.shape) > c;
}

/** The big operand as `[rows/k, c·k]` against the vector repeated `k` times; null if k = 1. */
function channelBlocks(name: string, args: Args, vectorIsB: boolean): TensorInfo | null {
  const { inputs: { a, b }, backend } = args;
  const [big, vector] = vectorIsB ? [a, b] : [b, a];
  const c = vector.shape[vector.shape.length - 1];
  const rows = util.sizeFromShape(big.shape) / c;
  const k = rowsPerBlock(rows, c);
  if (k === 1) return null;
  const row = makeOutput(backend, [c * k], "float32");
  (heapView(backend, row) as Float32Array).set(
    repeatChannels(heapView(backend, vector) as Float32Array, k),
  );
  const blocks = reshape(backend, big, [rows / k, c * k]);
  const inputs = vectorIsB ? { a: blocks, b: row } : { a: row, b: blocks };
  const flat = originalKernel(name)({ ...args, inputs } as never) as TensorInfo;
  const out = reshape(backend, flat, big.shape);
  release(backend, row, blocks, flat);
  return out;
}

/** Element strides of `shape` aligned to the output's rank, 0 along broadcast axes. */
function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1, o = outShape.length - 1; i >= 0; i--, o--) {
    strides[o] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

/** `op(a, b)` with numpy broadcasting, innermost axis as the inner loop. */
function broadcastInJs(op: Op, args: Args, outShape: number[]): TensorInfo {
  const { inputs: { a, b }, backend } = args;
  const out = makeOutput(backend, outShape, "float32");
  const av = heapView(backend, a) as Float32Array;
  const bv = heapView(backend, b) as Float32Array;
  const ov = heapView(backend, out) as Float32Array;
  const rank = outShape.length;
  if (rank === 0) {
    ov[0] = op(av[0], bv[0]);
    return out;
  }
  const sa = broadcastStrides(a.shape, outShape);
  const sb = broadcastStrides(b.shape, outShape);
  const inner = outShape[rank - 1];
  const [ia, ib] = [sa[rank - 1], sb[rank - 1]];
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < ov.length; o += inner) {
    let pa = 0, pb = 0;
    for (let d = 0; d < rank - 1; d++) {
      pa += index[d] * sa[d];
      pb += index[d] * sb[d];
    }
    for (let j = 0; j < inner; j++) ov[o + j] = op(av[pa + j * ia], bv[pb + j * ib]);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

function binary(name: string, op: Op) {
  return (args: Args): TensorInfo => {
    const { inputs: { a, b } } = args;
    const original = originalKernel(name);
    if (a.dtype !== "float32" || b.dtype !== "float32" || util.arraysEqual(a.shape, b.shape)) {
      return original(args as never) as TensorInfo;
    }
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = util.sizeFromShape(outShape);
    if (size > 0 && size <= SMALL) return broadcastInJs(op, args, outShape);
    const vectorIsB = isChannelVector(b, a);
    if (vectorIsB || isChannelVector(a, b)) {
      const out = channelBlocks(name, args, vectorIsB);
      if (out !== null) return out;
    }
    return original(args as never) as TensorInfo;
  };
}

const OPS: [string, Op][] = [
  [Add, (x, y) => x + y],
  [Sub, (x, y) => x - y],
  [Multiply, (x, y) => x * y],
  [RealDiv, (x, y) => x / y],
];

/** Registration records of the four kernels for backend `wasm`. */
export const broadcastArithmeticConfigs: KernelConfig[] = OPS.map(([kernelName, op]) => ({
  kernelName,
  backendName: "wasm",
  kernelFunc: binary(kernelName, op) as unknown as KernelConfig["kernelFunc"],
}));
