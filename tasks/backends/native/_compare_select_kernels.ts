/**
 * Comparisons, LogicalAnd and Select in tight loops for equal shapes or a scalar operand.
 * tfjs-cpu computes every element's broadcast location when a side is a scalar, which made the
 * ReLU6 / clipByValue gradients (`x >= 0 && x <= 6`, then `where`) dominate a MobileNet step.
 * Other broadcasts (the hit count's [batch, classes] against [batch, 1]) run row by row.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { broadcast_util } from "@tensorflow/tfjs-core";
import {
  broadcastStrides,
  cpuFallback,
  nativeKernel,
  type NativeKernelArgs,
  sizeOf,
} from "./_kernel_utils.ts";

type Values = ArrayLike<number>;

function valuesOf(args: NativeKernelArgs, t: TensorInfo): Values | null {
  if (t.dtype === "string") return null;
  return args.backend.data.get(t.dataId).values as Values;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

type Op = "<=" | ">=" | "<" | ">" | "&&";

/**
 * out[i] = a[i] op b[i], with `aStep`/`bStep` 0 for a one-element side. One loop per operator so
 * that V8 compiles each comparison inline (a shared loop calling a closure ran 20× slower).
 */
function compareInto(
  op: Op,
  out: Uint8Array,
  av: Values,
  aStep: number,
  bv: Values,
  bStep: number,
) {
  const n = out.length;
  switch (op) {
    case "<=":
      for (let i = 0, j = 0, k = 0; i < n; i++, j += aStep, k += bStep) {
        out[i] = av[j] <= bv[k] ? 1 : 0;
      }
      break;
    case ">=":
      for (let i = 0, j = 0, k = 0; i < n; i++, j += aStep, k += bStep) {
        out[i] = av[j] >= bv[k] ? 1 : 0;
      }
      break;
    case "<":
      for (let i = 0, j = 0, k = 0; i < n; i++, j += aStep, k += bStep) {
        out[i] = av[j] < bv[k] ? 1 : 0;
      }
      break;
    case ">":
      for (let i = 0, j = 0, k = 0; i < n; i++, j += aStep, k += bStep) {
        out[i] = av[j] > bv[k] ? 1 : 0;
      }
      break;
    case "&&":
      for (let i = 0, j = 0, k = 0; i < n; i++, j += aStep, k += bStep) {
        out[i] = av[j] !== 0 && bv[k] !== 0 ? 1 : 0;
      }
      break;
  }
}

/** A broadcast comparison row by row: each row of the last axis is one {@linkcode compareInto}. */
function compareBroadcast(
  kernelName: string,
  op: Op,
  args: NativeKernelArgs,
  av: Values,
  bv: Values,
): TensorInfo {
  const { a, b } = args.inputs;
  const shape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  if (shape.length === 0 || !ArrayBuffer.isView(av) || !ArrayBuffer.isView(bv)) {
    return cpuFallback(kernelName, args) as TensorInfo;
  }
  const sa = broadcastStrides(a.shape, shape), sb = broadcastStrides(b.shape, shape);
  const rank = shape.length, inner = shape[rank - 1];
  const out = new Uint8Array(sizeOf(shape));
  const index = new Array<number>(rank - 1).fill(0);
  const as = av as unknown as Float32Array, bs = bv as unknown as Float32Array;
  for (let row = 0, oa = 0, ob = 0; row * inner < out.length; row++) {
    compareInto(
      op,
      out.subarray(row * inner, (row + 1) * inner),
      as.subarray(oa),
      sa[rank - 1],
      bs.subarray(ob),
      sb[rank - 1],
    );
    for (let d = rank - 2; d >= 0; d--) {
      oa += sa[d];
      ob += sb[d];
      if (++index[d] < shape[d]) break;
      oa -= sa[d] * shape[d];
      ob -= sb[d] * shape[d];
      index[d] = 0;
    }
  }
  return args.backend.makeTensorInfo(shape, "bool", out);
}

/** `kernelName(a, b)` → bool, for `a`, `b` of one shape or either a one-element tensor. */
function comparison(kernelName: string, op: Op): KernelConfig {
  return nativeKernel(kernelName, (args) => {
    const { a, b } = args.inputs;
    const av = valuesOf(args, a);
    const bv = valuesOf(args, b);
    const na = sizeOf(a.shape);
    const nb = sizeOf(b.shape);
    if (av === null || bv === null) return cpuFallback(kernelName, args);
    let shape: number[];
    if (sameShape(a.shape, b.shape)) shape = a.shape.slice();
    else if (nb === 1 && a.shape.length >= b.shape.length) shape = a.shape.slice();
    else if (na === 1 && b.shape.length >= a.shape.length) shape = b.shape.slice();
    else return compareBroadcast(kernelName, op, args, av, bv);
    const n = sizeOf(shape);
    const out = new Uint8Array(n);
    compareInto(op, out, av, na === n ? 1 : 0, bv, nb === n ? 1 : 0);
    return args.backend.makeTensorInfo(shape, "bool", out);
  });
}

function select(args: NativeKernelArgs): TensorInfo {
  const { condition, t, e } = args.inputs;
  const cv = valuesOf(args, condition);
  const tv = valuesOf(args, t);
  const ev = valuesOf(args, e);
  if (
    cv === null || tv === null || ev === null || !sameShape(condition.shape, t.shape) ||
    !sameShape(t.shape, e.shape)
  ) {
    return cpuFallback("Select", args) as TensorInfo;
  }
  const n = sizeOf(t.shape);
  const out = t.dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = cv[i] ? tv[i] : ev[i];
  return args.backend.makeTensorInfo(t.shape.slice(), t.dtype, out);
}

/** The kernels above, for registration on `native`. */
export const compareSelectKernels: KernelConfig[] = [
  comparison("LessEqual", "<="),
  comparison("GreaterEqual", ">="),
  comparison("Less", "<"),
  comparison("Greater", ">"),
  comparison("LogicalAnd", "&&"),
  nativeKernel("Select", select),
];
