/** Encodes tfjs convolution and pooling geometry as the Int32Arrays the shim's structs read. */
import type { backend_util } from "@tensorflow/tfjs-core";

/** Activation codes shared with conv.cpp and matmul.cpp; prelu has none (applied afterwards). */
export const activationCodes: Record<string, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  elu: 3,
  sigmoid: 4,
  leakyrelu: 5,
};

// oneDNN insists that floor((in - filter + padStart + padEnd) / stride) + 1 equals the output
// size; tfjs' 'valid' and ceil-rounded pads do not always satisfy that, so derive the end pad.
function endPad(
  inSize: number,
  outSize: number,
  stride: number,
  filter: number,
  start: number,
  end: number,
): number {
  if (Math.floor((inSize - filter + start + end) / stride) + 1 === outSize) return end;
  return (outSize - 1) * stride + filter - inSize - start;
}

/** [n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups, hasBias, act]. */
export function convParams(
  info: backend_util.Conv2DInfo,
  depthwise: boolean,
  hasBias: boolean,
  act: number,
): Int32Array {
  const p = info.padInfo;
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    p.top,
    p.left,
    endPad(
      info.inHeight,
      info.outHeight,
      info.strideHeight,
      info.effectiveFilterHeight,
      p.top,
      p.bottom,
    ),
    endPad(
      info.inWidth,
      info.outWidth,
      info.strideWidth,
      info.effectiveFilterWidth,
      p.left,
      p.right,
    ),
    depthwise ? info.inChannels : 1,
    hasBias ? 1 : 0,
    act,
  ]);
}

/** [n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr, isMax]. */
export function poolParams(info: backend_util.Conv2DInfo, isMax: boolean): Int32Array {
  const p = info.padInfo;
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    p.top,
    p.left,
    endPad(
      info.inHeight,
      info.outHeight,
      info.strideHeight,
      info.effectiveFilterHeight,
      p.top,
      p.bottom,
    ),
    endPad(
      info.inWidth,
      info.outWidth,
      info.strideWidth,
      info.effectiveFilterWidth,
      p.left,
      p.right,
    ),
    isMax ? 1 : 0,
  ]);
}
