/**
 * Prepares an output gradient for an input-gradient convolution: zero-insertion by the forward
 * stride and the padding that makes a stride-1 convolution return the input's size.
 * @module
 */
import type { KernelBackend, TensorInfo } from "@tensorflow/tfjs-core";
import { pad, release, reshape, slice } from "./_ops.ts";

/** Where the zeros go along one spatial axis and the convolution padding that follows. */
interface AxisPlan {
  /** Put the s−1 zeros before each value instead of after it. */
  leading: boolean;
  /** Padding before/after for the stride-1 convolution; negative means crop. */
  before: number;
  after: number;
}

/**
 * Plans one axis. Forward: `o` outputs from `n` inputs, filter `f`, dilation `d`, stride `s`,
 * padding `p` before. The input gradient correlates the zero-inserted gradient (length o·s)
 * with the rotated filter; these pads make its output length exactly `n`.
 */
export function planAxis(
  n: number,
  f: number,
  d: number,
  s: number,
  p: number,
  o: number,
): AxisPlan {
  const before = (f - 1) * d - p;
  const after = n - o * s + p;
  if (before >= 0 && after >= 0) return { leading: false, before, after };
  // Zeros before each value shift the data by s−1: that moves padding from before to after.
  const shifted = { leading: true, before: before - (s - 1), after: after + (s - 1) };
  if (s > 1 && shifted.before >= 0 && shifted.after >= 0) return shifted;
  return { leading: false, before, after };
}

/**
 * `dy` `[b,oh,ow,c]` zero-inserted by strides `sh`, `sw` (reshape → C++ pad → reshape) and
 * cropped where a plan asks for negative padding. Returns the tensor and the non-negative
 * padding `[[top,bottom],[left,right]]` the convolution must apply.
 */
export function zeroInsert(
  backend: KernelBackend,
  dy: TensorInfo,
  strides: [number, number],
  rows: AxisPlan,
  cols: AxisPlan,
): { dy: TensorInfo; pads: [[number, number], [number, number]] } {
  const [sh, sw] = strides;
  const [b, oh, ow, c] = dy.shape;
  let out: TensorInfo;
  if (sh === 1 && sw === 1) {
    out = reshape(backend, dy, dy.shape);
  } else {
    const split = reshape(backend, dy, [b, oh, 1, ow, 1, c]);
    const padded = pad(backend, split, [
      [0, 0],
      [0, 0],
      rows.leading ? [sh - 1, 0] : [0, sh - 1],
      [0, 0],
      cols.leading ? [sw - 1, 0] : [0, sw - 1],
      [0, 0],
    ]);
    release(backend, split);
    out = reshape(backend, padded, [b, oh * sh, ow * sw, c]);
    release(backend, padded);
  }
  const cropTop = Math.max(-rows.before, 0);
  const cropBottom = Math.max(-rows.after, 0);
  const cropLeft = Math.max(-cols.before, 0);
  const cropRight = Math.max(-cols.after, 0);
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    // Only for paddings wider than the filter: rare, and the slice is a JS copy.
    const [, h, w] = out.shape;
    const cropped = slice(backend, out, [0, cropTop, cropLeft, 0], [
      b,
      h - cropTop - cropBottom,
      w - cropLeft - cropRight,
      c,
    ]);
    release(backend, out);
    out = cropped;
  }
  return {
    dy: out,
    pads: [
      [Math.max(rows.before, 0), Math.max(rows.after, 0)],
      [Math.max(cols.before, 0), Math.max(cols.after, 0)],
    ],
  };
}
