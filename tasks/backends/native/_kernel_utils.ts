/** Helpers shared by the native kernels: typed access to tensor storage and cpu fallbacks. */
import {
  type DataType,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import type { NativeBackend } from "./native_backend.ts";

/** What tfjs passes to a kernel function of the `native` backend. */
export interface NativeKernelArgs {
  // Typed as always present: optional inputs (bias, prelu weights) are checked with `!= null`.
  inputs: Record<string, TensorInfo>;
  backend: NativeBackend;
  attrs?: NamedAttrMap;
}

/** A kernel of the `native` backend written against {@linkcode NativeKernelArgs}. */
export type NativeKernelFunc = (args: NativeKernelArgs) => TensorInfo | TensorInfo[];

/** Wraps `kernelFunc` as a `native` kernel config for `kernelName`. */
export function nativeKernel(kernelName: string, kernelFunc: NativeKernelFunc): KernelConfig {
  return { kernelName, backendName: "native", kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * The float32 values behind `t`: zero copy, except where tfjs keeps other storage under a float32
 * dtype (cpu's Cast from bool or int32 to float32 only relabels the Uint8Array/Int32Array), which
 * is converted.
 */
export function f32(backend: NativeBackend, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (values instanceof Float32Array) return values;
  return Float32Array.from(values as ArrayLike<number>);
}

/** True when every present tensor is float32, the only dtype the shim handles. */
export function allFloat32(...ts: (TensorInfo | undefined | null)[]): boolean {
  return ts.every((t) => t == null || t.dtype === ("float32" as DataType));
}

/** How often each native kernel handed its call to the cpu kernel (for tests and profiling). */
export const fallbackCounts: Map<string, number> = new Map();

/** Runs the cpu backend's implementation of `kernelName` on the same arguments. */
export function cpuFallback(kernelName: string, args: NativeKernelArgs): TensorInfo | TensorInfo[] {
  fallbackCounts.set(kernelName, (fallbackCounts.get(kernelName) ?? 0) + 1);
  const cpu = getKernel(kernelName, "cpu");
  if (cpu === undefined) {
    throw new Error(
      `Cannot run '${kernelName}' on the native backend as the cpu kernel is missing`,
    );
  }
  return (cpu.kernelFunc as unknown as NativeKernelFunc)(args);
}

/** A new float32 tensor of `shape` holding `values`. */
export function output(backend: NativeBackend, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, "float32", values);
}

/** Product of `shape`'s dims (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Element strides of `shape` read as `outShape` (right-aligned, 0 where broadcast). */
export function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const r = outShape.length;
  const strides = new Array<number>(r);
  let stride = 1;
  for (let i = r - 1; i >= 0; i--) {
    const j = i - (r - shape.length);
    const d = j >= 0 ? shape[j] : 1;
    strides[i] = d === 1 ? 0 : stride;
    stride *= d;
  }
  return strides;
}
