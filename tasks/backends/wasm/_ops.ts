/**
 * Tensor-level helpers over the wasm backend's own kernels, for composing gradient kernels.
 * They take and return `TensorInfo`s (no engine bookkeeping): every result must be released
 * with {@linkcode release} once used, which is what keeps the composed kernels leak-free.
 * @module
 */
import {
  backend_util,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** Explicit `[[0,0],[top,bottom],[left,right],[0,0]]` padding, as Conv2D's `pad` attribute takes. */
export type Padding4D = backend_util.ExplicitPadding;

function run(
  kernelName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(kernelName, "wasm");
  if (kernel === undefined) {
    throw new Error(
      `Cannot compose a wasm gradient kernel as the wasm backend has no '${kernelName}' kernel: is @tensorflow/tfjs-backend-wasm imported?`,
    );
  }
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Drops this kernel's reference to each intermediate (the backend frees it at zero). */
export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** `x` with its axes permuted (XNNPACK-free C++ transpose of the wasm backend). */
export function transpose(backend: KernelBackend, x: TensorInfo, perm: number[]): TensorInfo {
  return run("Transpose", backend, { x }, { perm });
}

/** A new view of `x`'s data with `shape` (shares the buffer, takes a reference). */
export function reshape(backend: KernelBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return run("Reshape", backend, { x }, { shape });
}

/** `x` padded with zeros by `paddings` (`[before, after]` per axis). */
export function pad(
  backend: KernelBackend,
  x: TensorInfo,
  paddings: [number, number][],
): TensorInfo {
  return run("PadV2", backend, { x }, { paddings, constantValue: 0 });
}

/** `x` reversed along `dims`. */
export function reverse(backend: KernelBackend, x: TensorInfo, dims: number[]): TensorInfo {
  return run("Reverse", backend, { x }, { dims });
}

/** The block of `x` starting at `begin` of extent `size`. */
export function slice(
  backend: KernelBackend,
  x: TensorInfo,
  begin: number[],
  size: number[],
): TensorInfo {
  return run("Slice", backend, { x }, { begin, size });
}

/** `a + b` (same shapes). */
export function add(backend: KernelBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  return run("Add", backend, { a, b }, {});
}

/** `a * b` with broadcasting. */
export function multiply(backend: KernelBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  return run("Multiply", backend, { a, b }, {});
}

/** `a − b` with broadcasting. */
export function subtract(backend: KernelBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  return run("Sub", backend, { a, b }, {});
}

/** `a / b` with broadcasting. */
export function divide(backend: KernelBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  return run("RealDiv", backend, { a, b }, {});
}

/** `√x` element-wise. */
export function sqrt(backend: KernelBackend, x: TensorInfo): TensorInfo {
  return run("Sqrt", backend, { x }, {});
}

/** `x²` element-wise. */
export function square(backend: KernelBackend, x: TensorInfo): TensorInfo {
  return run("Square", backend, { x }, {});
}

/** Sum of `x` over `axis` (innermost axes avoid a transpose inside the wasm kernel). */
export function sum(backend: KernelBackend, x: TensorInfo, axis: number[]): TensorInfo {
  return run("Sum", backend, { x }, { axis, keepDims: false });
}

/** Strided window of `x`: `begin`, exclusive `end`, `strides` per axis. */
export function stridedSlice(
  backend: KernelBackend,
  x: TensorInfo,
  begin: number[],
  end: number[],
  strides: number[],
): TensorInfo {
  return run("StridedSlice", backend, { x }, {
    begin,
    end,
    strides,
    beginMask: 0,
    endMask: 0,
    ellipsisMask: 0,
    newAxisMask: 0,
    shrinkAxisMask: 0,
  });
}

/** Concatenation of `values` along `axis`. */
export function concat(backend: KernelBackend, values: TensorInfo[], axis: number): TensorInfo {
  // Concat is the one kernel whose inputs are an array, not a name → tensor map.
  return run("Concat", backend, values as unknown as NamedTensorInfoMap, { axis });
}

/** Options of the forward convolutions used as building blocks. */
export interface ConvOptions {
  /** `[strideHeight, strideWidth]`. */
  strides: [number, number];
  /** `[dilationHeight, dilationWidth]`. */
  dilations: [number, number];
  /** Explicit padding, all four sides non-negative. */
  pad: Padding4D;
}

/** XNNPACK NHWC convolution of `x` `[b,h,w,ci]` by `filter` `[fh,fw,ci,co]`. */
export function conv2d(
  backend: KernelBackend,
  x: TensorInfo,
  filter: TensorInfo,
  options: ConvOptions,
): TensorInfo {
  return run("Conv2D", backend, { x, filter }, {
    strides: options.strides,
    dilations: options.dilations,
    pad: options.pad,
    dataFormat: "NHWC",
    dimRoundingMode: undefined,
  } as unknown as NamedAttrMap);
}

/** XNNPACK depthwise convolution of `x` `[b,h,w,c]` by `filter` `[fh,fw,c,m]`. */
export function depthwiseConv2d(
  backend: KernelBackend,
  x: TensorInfo,
  filter: TensorInfo,
  options: ConvOptions,
): TensorInfo {
  return run("DepthwiseConv2dNative", backend, { x, filter }, {
    strides: options.strides,
    dilations: options.dilations,
    pad: options.pad,
    dataFormat: "NHWC",
    dimRoundingMode: undefined,
  } as unknown as NamedAttrMap);
}
