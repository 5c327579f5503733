/**
 * `Conv2DBackpropFilter` for the wasm backend, as one XNNPACK convolution.
 * @module
 */
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { foldDenseGrad, matMul, preferDense } from "./_dense_small_conv.ts";
import { conv2d, release, reshape, slice, transpose } from "./_ops.ts";
import { embedTaps, usedTaps } from "./_used_taps.ts";

/**
 * The filter gradient dW[fh,fw,ci,co] = Σ_{b,i,j} x[b, i·s+fh−pt, j·s+fw−pl, ci] · dy[b,i,j,co]
 * is a convolution whose batch is the input channels, whose channels are the batch and whose
 * filter is the output gradient: x as [ci,h,w,b] convolved (dilation = stride) with dy as
 * [oh,ow,b,co] gives [ci,fh,fw,co]. XNNPACK runs it at forward-convolution speed.
 */
export function conv2dBackpropFilter(
  args: {
    inputs: { x: TensorInfo; dy: TensorInfo };
    backend: KernelBackend;
    attrs: Conv2DBackpropFilterAttrs;
  },
): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== "channelsLast") {
    throw new Error(
      `Cannot compute Conv2DBackpropFilter on wasm for dataFormat '${attrs.dataFormat}': only NHWC (channelsLast) is supported`,
    );
  }
  const taps = usedTaps(info);
  if (taps !== null) {
    // Taps that only meet padding have a zero gradient: compute the others, pad with zeros.
    const [, , ci, co] = attrs.filterShape;
    const inner = conv2dBackpropFilter({
      inputs: { x, dy },
      backend,
      attrs: {
        ...attrs,
        filterShape: [taps.height, taps.width, ci, co],
        pad: taps.pad,
        dimRoundingMode: undefined,
      },
    });
    const dw = embedTaps(backend, inner, taps, attrs.filterShape);
    release(backend, inner);
    return dw;
  }
  if (preferDense(info)) {
    const { batchSize: b, inChannels: ci, outChannels: co } = info;
    const xRows = reshape(backend, x, [1, b, info.inHeight * info.inWidth * ci]);
    const dyRows = reshape(backend, dy, [1, b, info.outHeight * info.outWidth * co]);
    const grad = matMul(backend, xRows, dyRows, true, false);
    const dw = foldDenseGrad(backend, grad, info);
    release(backend, xRows, dyRows, grad);
    return dw;
  }
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // Bottom/right padding that makes the output exactly fh×fw; when the forward pass dropped
  // trailing input rows (floor rounding) it can be negative: pad 0 and crop the result.
  const bottom = fh + (info.outHeight - 1) * sh - info.inHeight - top;
  const right = fw + (info.outWidth - 1) * sw - info.inWidth - left;
  const xT = transpose(backend, x, [3, 1, 2, 0]); // [b,h,w,ci] → [ci,h,w,b]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [b,oh,ow,co] → [oh,ow,b,co]
  const grad = conv2d(backend, xT, dyT, {
    strides: [1, 1],
    dilations: [sh, sw],
    pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]],
  }); // [ci, fh(+crop), fw(+crop), co]
  release(backend, xT, dyT);
  let cropped = grad;
  if (bottom < 0 || right < 0) {
    cropped = slice(backend, grad, [0, 0, 0, 0], [info.inChannels, fh, fw, info.outChannels]);
    release(backend, grad);
  }
  const dw = transpose(backend, cropped, [1, 2, 0, 3]); // → [fh,fw,ci,co]
  release(backend, cropped);
  return dw;
}

/** Registration record of {@linkcode conv2dBackpropFilter} for backend `wasm`. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as unknown as KernelConfig["kernelFunc"],
};
