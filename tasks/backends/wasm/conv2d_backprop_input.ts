/**
 * `Conv2DBackpropInput` for the wasm backend, as one XNNPACK convolution (the backend's own
 * kernel is a scalar C++ loop, about 1.5 GFLOP/s here).
 * @module
 */
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { denseFilter, matMul, preferDense } from "./_dense_small_conv.ts";
import { conv2d, release, reshape, reverse, transpose } from "./_ops.ts";
import { cropTaps, usedTaps } from "./_used_taps.ts";
import { planAxis, zeroInsert } from "./_zero_insert.ts";
import { col2imInputGrad, preferCol2im } from "./_col2im_input_grad.ts";

/**
 * The input gradient is the correlation of dy, zero-inserted by the stride and padded, with
 * the filter rotated by 180° and with its in/out channels swapped ([fh,fw,co,ci]). Strided,
 * tiny or few-channel layers take the matrix product + col2im path instead (see
 * `_col2im_input_grad.ts`).
 */
export function conv2dBackpropInput(
  args: {
    inputs: { dy: TensorInfo; filter: TensorInfo };
    backend: KernelBackend;
    attrs: Conv2DBackpropInputAttrs;
  },
): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== "channelsLast") {
    throw new Error(
      `Cannot compute Conv2DBackpropInput on wasm for dataFormat '${attrs.dataFormat}': only NHWC (channelsLast) is supported`,
    );
  }
  const taps = usedTaps(info);
  if (taps !== null) {
    // Taps that only meet padding send their gradient to padding: leave them out.
    const cropped = cropTaps(backend, filter, taps);
    const dx = conv2dBackpropInput({
      inputs: { dy, filter: cropped },
      backend,
      attrs: { ...attrs, pad: taps.pad, dimRoundingMode: undefined },
    });
    release(backend, cropped);
    return dx;
  }
  if (preferDense(info)) {
    const { inChannels: ci, outChannels: co } = info;
    const dense = denseFilter(backend, filter, info);
    const rows = reshape(backend, dy, [1, info.batchSize, info.outHeight * info.outWidth * co]);
    const flat = matMul(backend, rows, dense, false, true);
    const dx = reshape(backend, flat, [info.batchSize, info.inHeight, info.inWidth, ci]);
    release(backend, dense, rows, flat);
    return dx;
  }
  if (preferCol2im(info)) return col2imInputGrad(backend, dy, filter, info);
  const rows = planAxis(
    info.inHeight,
    info.filterHeight,
    1,
    info.strideHeight,
    info.padInfo.top,
    info.outHeight,
  );
  const cols = planAxis(
    info.inWidth,
    info.filterWidth,
    1,
    info.strideWidth,
    info.padInfo.left,
    info.outWidth,
  );
  const spread = zeroInsert(backend, dy, [info.strideHeight, info.strideWidth], rows, cols);
  const flipped = reverse(backend, filter, [0, 1]);
  const rotated = transpose(backend, flipped, [0, 1, 3, 2]); // [fh,fw,ci,co] → [fh,fw,co,ci]
  release(backend, flipped);
  const dx = conv2d(backend, spread.dy, rotated, {
    strides: [1, 1],
    dilations: [1, 1],
    pad: [[0, 0], spread.pads[0], spread.pads[1], [0, 0]],
  });
  release(backend, spread.dy, rotated);
  return dx;
}

/** Registration record of {@linkcode conv2dBackpropInput} for backend `wasm`. */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: "wasm",
  kernelFunc: conv2dBackpropInput as unknown as KernelConfig["kernelFunc"],
};
