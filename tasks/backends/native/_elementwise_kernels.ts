/**
 * Element-wise float32 kernels of the `native` backend: broadcasting binary ops, unary
 * activations, AddN, and strided copies (Tile, Transpose). In training they run on every
 * activation and every weight (Adam alone makes ~13 passes over each variable), which the cpu
 * backend does in single-threaded JavaScript.
 */
import { broadcast_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { BinaryOp, packStridedParams, UnaryOp } from "./_abi.ts";
import {
  allFloat32,
  broadcastStrides,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
  sizeOf,
} from "./_kernel_utils.ts";

const maxRank = 8;

/** `cn_strided_params` of an output `shape` read through `strideA` (and `strideB`). */
export function stridedParams(
  shape: readonly number[],
  strideA: readonly number[],
  strideB: readonly number[] = [],
): Int32Array {
  return packStridedParams({ rank: shape.length, shape, strideA, strideB });
}

// Step outputs not computed yet (see step()), with the input whose sign they encode.
const pendingSteps = new WeakMap<object, TensorInfo>();

/**
 * Step is lazy: ReLU's gradient is `dy * step(x)`, and Multiply computes that in one pass from x
 * when step(x) was never read (saving a full-size write and read per ReLU layer).
 */
function step(args: NativeKernelArgs) {
  const { x } = args.inputs;
  const alpha = (args.attrs as { alpha?: number }).alpha ?? 0;
  if (!allFloat32(x) || alpha !== 0) return stepNow(args);
  const backend = args.backend;
  const out = backend.makeLazyTensorInfo(x.shape, [x], () => {
    const values = f32(backend, x);
    const y = backend.allocFloat32(values.length);
    backend.native.check(
      backend.native.symbols.cn_unary(UnaryOp.STEP, values.length, values, y, 0),
    );
    return y;
  });
  pendingSteps.set(out.dataId, x);
  return out;
}

const stepNow = unary(UnaryOp.STEP, "Step", (args) => (args.attrs as { alpha?: number }).alpha ?? 0)
  .kernelFunc as unknown as (args: NativeKernelArgs) => TensorInfo;

// dy * step(x) in one pass when one operand of a same-shape Multiply is a pending step(x).
function multiplyByPendingStep(args: NativeKernelArgs): TensorInfo | null {
  const { a, b } = args.inputs;
  const backend = args.backend;
  for (const [s, other] of [[a, b], [b, a]]) {
    const x = pendingSteps.get(s.dataId);
    if (x === undefined || !backend.isLazyPending(s.dataId)) continue;
    if (other.shape.join() !== s.shape.join() || !allFloat32(other)) continue;
    const out = backend.allocFloat32(sizeOf(s.shape));
    backend.native.check(backend.native.symbols.cn_binary(
      BinaryOp.MUL_STEP,
      stridedParams([out.length], [1], [1]),
      f32(backend, other),
      f32(backend, x),
      out,
    ));
    return output(backend, s.shape, out);
  }
  return null;
}

function binary(op: number, name: string) {
  return nativeKernel(name, (args: NativeKernelArgs) => {
    const { a, b } = args.inputs;
    if (!allFloat32(a, b)) return cpuFallback(name, args);
    if (op === BinaryOp.MUL) {
      const fused = multiplyByPendingStep(args);
      if (fused !== null) return fused;
    }
    const outShape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (outShape.length > maxRank) return cpuFallback(name, args);
    const backend = args.backend;
    const out = backend.allocFloat32(sizeOf(outShape));
    if (out.length > 0) {
      backend.native.check(backend.native.symbols.cn_binary(
        op,
        stridedParams(
          outShape,
          broadcastStrides(a.shape, outShape),
          broadcastStrides(b.shape, outShape),
        ),
        f32(backend, a),
        f32(backend, b),
        out,
      ));
    }
    return output(backend, outShape, out);
  });
}

function unary(op: number, name: string, alphaOf: (args: NativeKernelArgs) => number = () => 0) {
  return nativeKernel(name, (args: NativeKernelArgs) => {
    const { x } = args.inputs;
    if (!allFloat32(x)) return cpuFallback(name, args);
    const backend = args.backend;
    const values = f32(backend, x);
    const out = backend.allocFloat32(values.length);
    backend.native.check(
      backend.native.symbols.cn_unary(op, values.length, values, out, alphaOf(args)),
    );
    return output(backend, x.shape, out);
  });
}

// tfjs-layers' ReLU with maxValue (MobileNet's ReLU6) runs ClipByValue, not Relu6.
function clipByValue(args: NativeKernelArgs) {
  const { x } = args.inputs;
  if (!allFloat32(x)) return cpuFallback("ClipByValue", args);
  const { clipValueMin, clipValueMax } = args.attrs as {
    clipValueMin: number;
    clipValueMax: number;
  };
  const backend = args.backend;
  const values = f32(backend, x);
  const out = backend.allocFloat32(values.length);
  backend.native.check(
    backend.native.symbols.cn_clip(values.length, values, out, clipValueMin, clipValueMax),
  );
  return output(backend, x.shape, out);
}

function addN(args: NativeKernelArgs) {
  const tensors = Object.values(args.inputs);
  if (tensors.length < 2 || !allFloat32(...tensors)) return cpuFallback("AddN", args);
  const backend = args.backend;
  const shape = tensors[0].shape;
  const p = stridedParams([sizeOf(shape)], [1], [1]);
  // The shim's loops assume outputs never alias inputs, so partial sums alternate buffers.
  const buffers = [backend.allocFloat32(sizeOf(shape))];
  if (tensors.length > 2) buffers.push(backend.allocFloat32(sizeOf(shape)));
  let acc = f32(backend, tensors[0]);
  for (let i = 1; i < tensors.length; i++) {
    const out = buffers[(i - 1) % buffers.length];
    backend.native.check(backend.native.symbols.cn_binary(
      BinaryOp.ADD,
      p,
      acc,
      f32(backend, tensors[i]),
      out,
    ));
    acc = out;
  }
  return output(backend, shape, acc);
}

/** A strided copy of input `x` into a new buffer of `outShape`, reading x at `strides` from `offset`. */
export function stridedCopy(
  args: NativeKernelArgs,
  outShape: number[],
  strides: number[],
  offset = 0,
): Float32Array {
  const backend = args.backend;
  const out = backend.allocFloat32(sizeOf(outShape));
  if (out.length > 0) {
    backend.native.check(backend.native.symbols.cn_copy(
      stridedParams(outShape, strides, contiguousStrides(outShape)),
      f32(backend, args.inputs.x).subarray(offset),
      out,
    ));
  }
  return out;
}

/** Element strides of a contiguous tensor of `shape`. */
export function contiguousStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

function tile(args: NativeKernelArgs) {
  const { x } = args.inputs;
  const reps = (args.attrs as { reps: number[] }).reps;
  if (!allFloat32(x) || 2 * x.shape.length > maxRank) return cpuFallback("Tile", args);
  // View the output as [reps0, d0, reps1, d1, ...] so tiling is a broadcast copy.
  const xStrides = contiguousStrides(x.shape);
  const view: number[] = [], strides: number[] = [];
  x.shape.forEach((d, i) => {
    view.push(reps[i], d);
    strides.push(0, d === 1 ? 0 : xStrides[i]);
  });
  const outShape = x.shape.map((d, i) => d * reps[i]);
  return output(args.backend, outShape, stridedCopy(args, view, strides));
}

function transpose(args: NativeKernelArgs) {
  const { x } = args.inputs;
  const perm = (args.attrs as { perm: number[] }).perm;
  if (!allFloat32(x) || x.shape.length > maxRank) return cpuFallback("Transpose", args);
  const xStrides = contiguousStrides(x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  const strides = perm.map((p) => x.shape[p] === 1 ? 0 : xStrides[p]);
  return output(args.backend, outShape, stridedCopy(args, outShape, strides));
}

const alphaAttr = (args: NativeKernelArgs) => (args.attrs as { alpha?: number }).alpha ?? 0;

/** The element-wise kernel configs registered under `native`. */
export const elementwiseKernels: KernelConfig[] = [
  binary(BinaryOp.ADD, "Add"),
  binary(BinaryOp.SUB, "Sub"),
  binary(BinaryOp.MUL, "Multiply"),
  binary(BinaryOp.DIV, "RealDiv"),
  binary(BinaryOp.MAX, "Maximum"),
  binary(BinaryOp.MIN, "Minimum"),
  binary(BinaryOp.SQUARED_DIFFERENCE, "SquaredDifference"),
  unary(UnaryOp.RELU, "Relu"),
  unary(UnaryOp.RELU6, "Relu6"),
  unary(UnaryOp.SIGMOID, "Sigmoid"),
  unary(UnaryOp.EXP, "Exp"),
  unary(UnaryOp.LOG, "Log"),
  unary(UnaryOp.SQRT, "Sqrt"),
  unary(UnaryOp.RSQRT, "Rsqrt"),
  unary(UnaryOp.SQUARE, "Square"),
  unary(UnaryOp.NEG, "Neg"),
  unary(UnaryOp.ABS, "Abs"),
  unary(UnaryOp.TANH, "Tanh"),
  nativeKernel("Step", step),
  unary(UnaryOp.ELU, "Elu"),
  unary(UnaryOp.RECIPROCAL, "Reciprocal"),
  unary(UnaryOp.LEAKY_RELU, "LeakyRelu", alphaAttr),
  nativeKernel("ClipByValue", clipByValue),
  nativeKernel("AddN", addN),
  nativeKernel("Tile", tile),
  nativeKernel("Transpose", transpose),
];
