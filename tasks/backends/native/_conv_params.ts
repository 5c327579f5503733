/** Encodes tfjs convolution and pooling geometry as the shim's cn_conv_params / cn_pool_params. */
import type { backend_util } from "@tensorflow/tfjs-core";
import { Activation, packConvParams, packPoolParams, PoolKind } from "./_abi.ts";

/** tfjs' fused activation names → `enum cn_activation`; prelu has none (applied afterwards). */
export const activationCodes: Record<string, number> = {
  linear: Activation.LINEAR,
  relu: Activation.RELU,
  relu6: Activation.RELU6,
  elu: Activation.ELU,
  sigmoid: Activation.SIGMOID,
  leakyrelu: Activation.LEAKY_RELU,
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

/** `cn_conv_params` of a tfjs convolution (`alpha`: leaky relu's slope). */
export function convParams(
  info: backend_util.Conv2DInfo,
  depthwise: boolean,
  hasBias: boolean,
  activation: number,
  alpha = 0,
): Int32Array {
  const p = info.padInfo;
  return packConvParams({
    n: info.batchSize,
    ih: info.inHeight,
    iw: info.inWidth,
    ic: info.inChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    oc: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    padTop: p.top,
    padLeft: p.left,
    padBottom: endPad(
      info.inHeight,
      info.outHeight,
      info.strideHeight,
      info.effectiveFilterHeight,
      p.top,
      p.bottom,
    ),
    padRight: endPad(
      info.inWidth,
      info.outWidth,
      info.strideWidth,
      info.effectiveFilterWidth,
      p.left,
      p.right,
    ),
    groups: depthwise ? info.inChannels : 1,
    hasBias: hasBias ? 1 : 0,
    activation,
    alpha,
  });
}

/** `cn_pool_params` of a tfjs pooling. */
export function poolParams(info: backend_util.Conv2DInfo, isMax: boolean): Int32Array {
  const p = info.padInfo;
  return packPoolParams({
    n: info.batchSize,
    ih: info.inHeight,
    iw: info.inWidth,
    c: info.inChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    padTop: p.top,
    padLeft: p.left,
    padBottom: endPad(
      info.inHeight,
      info.outHeight,
      info.strideHeight,
      info.effectiveFilterHeight,
      p.top,
      p.bottom,
    ),
    padRight: endPad(
      info.inWidth,
      info.outWidth,
      info.strideWidth,
      info.effectiveFilterWidth,
      p.left,
      p.right,
    ),
    kind: isMax ? PoolKind.MAX : PoolKind.AVG,
  });
}
