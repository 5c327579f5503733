/**
 * Concat and SplitV (Concat's gradient) on float32 tensors as strided copies. DenseNet and
 * GoogLeNet concatenate NHWC feature maps along channels; tfjs-backend-cpu's SplitV slices the
 * channel axis element by element (91 % of a DenseNet step) and its Concat copies in JavaScript.
 */
import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { stridedParams } from "./_elementwise_kernels.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
  sizeOf,
} from "./_kernel_utils.ts";

/** `x` of `shape` seen as [outer, shape[axis], inner]. */
function around(shape: readonly number[], axis: number): [number, number] {
  return [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis + 1))];
}

/**
 * Copies an [outer, width] block between row-major buffers whose rows are `srcRow` and
 * `dstRow` floats apart (width ≤ both).
 */
function copyBlock(
  args: NativeKernelArgs,
  outer: number,
  width: number,
  src: Float32Array,
  srcRow: number,
  dst: Float32Array,
  dstRow: number,
): void {
  if (outer === 0 || width === 0) return;
  args.backend.native.check(
    args.backend.native.symbols.cn_copy(
      stridedParams([outer, width], [srcRow, 1], [dstRow, 1]),
      src,
      dst,
    ),
  );
}

function concat(args: NativeKernelArgs): TensorInfo {
  const inputs = Object.values(args.inputs).filter((t) => t != null);
  const axisAttr = (args.attrs as { axis: number | number[] }).axis;
  if (inputs.length === 0 || !allFloat32(...inputs)) {
    return cpuFallback("Concat", args) as TensorInfo;
  }
  const rank = inputs[0].shape.length;
  if (rank === 0 || inputs.some((t) => t.shape.length !== rank)) {
    return cpuFallback("Concat", args) as TensorInfo;
  }
  const axis = util.parseAxisParam(axisAttr, inputs[0].shape)[0];
  const shape = inputs[0].shape.slice();
  shape[axis] = inputs.reduce((s, t) => s + t.shape[axis], 0);
  const mismatch = inputs.some((t) => t.shape.some((d, i) => i !== axis && d !== shape[i]));
  if (mismatch) return cpuFallback("Concat", args) as TensorInfo;
  const backend = args.backend;
  const [outer, inner] = around(shape, axis);
  const rowWidth = shape[axis] * inner;
  const out = backend.allocFloat32(sizeOf(shape));
  let at = 0;
  for (const t of inputs) {
    const width = t.shape[axis] * inner;
    copyBlock(args, outer, width, f32(backend, t), width, out.subarray(at), rowWidth);
    at += width;
  }
  return output(backend, shape, out);
}

function splitV(args: NativeKernelArgs): TensorInfo[] {
  const { x } = args.inputs;
  const attrs = args.attrs as { numOrSizeSplits: number[] | number; axis: number };
  if (!allFloat32(x) || x.shape.length === 0) return cpuFallback("SplitV", args) as TensorInfo[];
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = splitSizes(x.shape[axis], attrs.numOrSizeSplits);
  if (sizes === null) return cpuFallback("SplitV", args) as TensorInfo[];
  const backend = args.backend;
  const [outer, inner] = around(x.shape, axis);
  const rowWidth = x.shape[axis] * inner;
  const values = f32(backend, x);
  let at = 0;
  return sizes.map((size) => {
    const shape = x.shape.slice();
    shape[axis] = size;
    const out = backend.allocFloat32(sizeOf(shape));
    copyBlock(args, outer, size * inner, values.subarray(at), rowWidth, out, size * inner);
    at += size * inner;
    return output(backend, shape, out);
  });
}

/** tfjs' split sizes: a count of equal parts, or sizes with at most one -1 (the rest). */
function splitSizes(length: number, spec: number[] | number): number[] | null {
  if (typeof spec === "number") {
    if (spec <= 0 || length % spec !== 0) return null;
    return new Array<number>(spec).fill(length / spec);
  }
  const known = spec.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
  const sizes = spec.map((s) => (s === -1 ? length - known : s));
  if (sizes.some((s) => s < 0) || sizes.reduce((a, b) => a + b, 0) !== length) return null;
  return sizes;
}

/** The Concat and SplitV kernel configs registered under `native`. */
export const concatSplitKernels: KernelConfig[] = [
  nativeKernel("Concat", concat),
  nativeKernel("SplitV", splitV),
];
