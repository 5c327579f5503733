/**
 * The filter taps of a convolution that ever meet real input. A 3×3 "same" convolution on a
 * 1×1 map (ResNet-18's last stage on 28×28 images) only uses its centre tap: XNNPACK still
 * multiplies the other eight by padding, 9× the work, in the forward pass and in both
 * gradients. Cropping the filter to the used taps, with the padding shifted to match, gives
 * the same output; the unused taps' filter gradient is exactly zero.
 * @module
 */
import type { backend_util, KernelBackend, TensorInfo } from "@tensorflow/tfjs-core";
import { heapView, makeOutput } from "./_heap.ts";
import type { Padding4D } from "./_ops.ts";

/** The used block of the filter and the explicit padding that goes with it. */
export interface UsedTaps {
  /** First used filter row and how many. */
  row: number;
  height: number;
  /** First used filter column and how many. */
  col: number;
  width: number;
  /** Padding of the cropped convolution; it has the original's output size. */
  pad: Padding4D;
}

/** Used taps `[first, end)` along one axis, or null when none is (an all-padding output). */
function axisTaps(
  size: number,
  filter: number,
  stride: number,
  before: number,
  out: number,
): [number, number] | null {
  let first = -1;
  let end = -1;
  for (let u = 0; u < filter; u++) {
    // The first output whose window puts tap u at or after row 0.
    const i = Math.max(0, Math.ceil((before - u) / stride));
    if (i < out && i * stride + u - before <= size - 1) {
      if (first < 0) first = u;
      end = u + 1;
    }
  }
  return first < 0 ? null : [first, end];
}

/**
 * The used taps of the convolution `info` describes, or null when every tap is used, the
 * convolution is dilated, or the cropped form cannot be padded to the same output size.
 */
export function usedTaps(info: backend_util.Conv2DInfo): UsedTaps | null {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const rows = axisTaps(
    info.inHeight,
    info.filterHeight,
    info.strideHeight,
    info.padInfo.top,
    info.outHeight,
  );
  const cols = axisTaps(
    info.inWidth,
    info.filterWidth,
    info.strideWidth,
    info.padInfo.left,
    info.outWidth,
  );
  if (rows === null || cols === null) return null;
  const [height, width] = [rows[1] - rows[0], cols[1] - cols[0]];
  if (height === info.filterHeight && width === info.filterWidth) return null;
  const top = info.padInfo.top - rows[0];
  const left = info.padInfo.left - cols[0];
  // The padding after the data that makes the output exactly as large as before.
  const bottom = (info.outHeight - 1) * info.strideHeight + height - info.inHeight - top;
  const right = (info.outWidth - 1) * info.strideWidth + width - info.inWidth - left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  return {
    row: rows[0],
    height,
    col: cols[0],
    width,
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
  };
}

/**
 * Copies tap block `taps` of `filter` [fh,fw,ci,co] (each tap a contiguous ci·co run) between a
 * full filter and a cropped one: the backend's Slice and PadV2 take ~30 ms per 3×3×512×512
 * filter here, plain copies a fraction of a millisecond.
 */
function copyTaps(
  full: Float32Array,
  cropped: Float32Array,
  fw: number,
  run: number,
  taps: UsedTaps,
  toCropped: boolean,
): void {
  for (let r = 0; r < taps.height; r++) {
    for (let c = 0; c < taps.width; c++) {
      const at = ((taps.row + r) * fw + taps.col + c) * run;
      const to = (r * taps.width + c) * run;
      if (toCropped) cropped.set(full.subarray(at, at + run), to);
      else full.set(cropped.subarray(to, to + run), at);
    }
  }
}

/** The used taps of `filter` [fh,fw,ci,co]: a new [height,width,ci,co] tensor. */
export function cropTaps(backend: KernelBackend, filter: TensorInfo, taps: UsedTaps): TensorInfo {
  const [, fw, ci, co] = filter.shape;
  const out = makeOutput(backend, [taps.height, taps.width, ci, co], "float32");
  const full = heapView(backend, filter) as Float32Array;
  copyTaps(full, heapView(backend, out) as Float32Array, fw, ci * co, taps, true);
  return out;
}

/** `cropped` [height,width,ci,co] placed at `taps` in a new zero filter of `shape`. */
export function embedTaps(
  backend: KernelBackend,
  cropped: TensorInfo,
  taps: UsedTaps,
  shape: [number, number, number, number],
): TensorInfo {
  const out = makeOutput(backend, shape, "float32");
  const full = heapView(backend, out) as Float32Array;
  full.fill(0);
  const [, fw, ci, co] = shape;
  copyTaps(full, heapView(backend, cropped) as Float32Array, fw, ci * co, taps, false);
  return out;
}
