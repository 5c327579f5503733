/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend, from XNNPACK depthwise convolution.
 * @module
 */
import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import {
  add,
  type ConvOptions,
  depthwiseConv2d,
  release,
  reshape,
  reverse,
  slice,
  transpose,
} from "./_ops.ts";
import { planAxis, zeroInsert } from "./_zero_insert.ts";

/**
 * dx[b,h,w,c] = Σ_q (zero-inserted dy[...,c·m+q]) ⋆ rot180(filter[...,c,q]): one depthwise
 * convolution per depth-multiplier slice q (usually a single one), summed.
 */
export function depthwiseBackpropInput(
  args: {
    inputs: { dy: TensorInfo; filter: TensorInfo };
    backend: KernelBackend;
    attrs: DepthwiseConv2dNativeBackpropInputAttrs;
  },
): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const rows = planAxis(
    info.inHeight,
    info.filterHeight,
    dh,
    info.strideHeight,
    info.padInfo.top,
    info.outHeight,
  );
  const cols = planAxis(
    info.inWidth,
    info.filterWidth,
    dw,
    info.strideWidth,
    info.padInfo.left,
    info.outWidth,
  );
  const spread = zeroInsert(backend, dy, [info.strideHeight, info.strideWidth], rows, cols);
  const rotated = reverse(backend, filter, [0, 1]); // [fh,fw,c,m]
  const conv: ConvOptions = {
    strides: [1, 1],
    dilations: [dh, dw],
    pad: [[0, 0], spread.pads[0], spread.pads[1], [0, 0]],
  };
  const m = filter.shape[3];
  if (m === 1) {
    const dx = depthwiseConv2d(backend, spread.dy, rotated, conv);
    release(backend, spread.dy, rotated);
    return dx;
  }
  // Put each multiplier slice in one contiguous block so slicing it is a plain copy.
  const [b, lh, lw] = spread.dy.shape;
  const c = info.inChannels;
  const [fh, fw] = [info.filterHeight, info.filterWidth];
  const split = reshape(backend, spread.dy, [b, lh, lw, c, m]);
  const dyByQ = transpose(backend, split, [4, 0, 1, 2, 3]); // [m,b,lh,lw,c]
  const filterByQ = transpose(backend, rotated, [3, 0, 1, 2]); // [m,fh,fw,c]
  release(backend, spread.dy, split, rotated);
  let sum: TensorInfo | undefined;
  for (let q = 0; q < m; q++) {
    const dyQ = slice(backend, dyByQ, [q, 0, 0, 0, 0], [1, b, lh, lw, c]);
    const fQ = slice(backend, filterByQ, [q, 0, 0, 0], [1, fh, fw, c]);
    const dyQ4 = reshape(backend, dyQ, [b, lh, lw, c]);
    const fQ4 = reshape(backend, fQ, [fh, fw, c, 1]);
    const part = depthwiseConv2d(backend, dyQ4, fQ4, conv);
    release(backend, dyQ, fQ, dyQ4, fQ4);
    if (sum === undefined) {
      sum = part;
    } else {
      const next = add(backend, sum, part);
      release(backend, sum, part);
      sum = next;
    }
  }
  release(backend, dyByQ, filterByQ);
  return sum as TensorInfo;
}

/** Registration record of {@linkcode depthwiseBackpropInput} for backend `wasm`. */
export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: "wasm",
  kernelFunc: depthwiseBackpropInput as unknown as KernelConfig["kernelFunc"],
};
