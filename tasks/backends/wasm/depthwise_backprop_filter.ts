/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend.
 * @module
 */
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { concat, multiply, pad, release, reshape, stridedSlice, sum, transpose } from "./_ops.ts";

/**
 * dW[fh,fw,c,q] = Σ_{b,i,j} x[b, i·s+fh·d−pt, j·s+fw·d−pl, c] · dy[b,i,j,c·m+q], one filter tap
 * at a time: a strided window of the (channel-major, padded) input times dy, summed over
 * batch and space, all in the wasm backend's C++ kernels.
 *
 * Why not one XNNPACK convolution as for Conv2D: a depthwise convolution cannot contract over
 * the batch, and folding the batch into a spatial axis makes XNNPACK pack a filter of
 * oh·b·ow taps per channel (gigabytes for a MobileNet layer). The filter has few taps (9 for
 * 3×3), so per-tap passes over memory are cheap.
 */
export function depthwiseBackpropFilter(
  args: {
    inputs: { x: TensorInfo; dy: TensorInfo };
    backend: KernelBackend;
    attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
  },
): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const { filterHeight: fh, filterWidth: fw, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const [b, h, w, c] = x.shape;
  const m = attrs.filterShape[3];
  const { top, left } = info.padInfo;
  // Rows/columns the windows reach; zeros beyond the input stand for the padding.
  const needH = (fh - 1) * dh + (oh - 1) * sh + 1;
  const needW = (fw - 1) * dw + (ow - 1) * sw + 1;
  const xT = transpose(backend, x, [3, 0, 1, 2]); // [c,b,h,w]
  const xP = pad(backend, xT, [[0, 0], [0, 0], [top, Math.max(needH - top - h, 0)], [
    left,
    Math.max(needW - left - w, 0),
  ]]);
  release(backend, xT);
  let dyT: TensorInfo;
  if (m === 1) {
    dyT = transpose(backend, dy, [3, 0, 1, 2]); // [c,b,oh,ow]
  } else {
    const split = reshape(backend, dy, [b, oh, ow, c, m]);
    dyT = transpose(backend, split, [3, 4, 0, 1, 2]); // [c,m,b,oh,ow]
    release(backend, split);
  }
  const taps: TensorInfo[] = [];
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const win = stridedSlice(
        backend,
        xP,
        [0, 0, i * dh, j * dw],
        [c, b, i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1],
        [1, 1, sh, sw],
      ); // [c,b,oh,ow]
      const lhs = m === 1 ? win : reshape(backend, win, [c, 1, b, oh, ow]);
      const prod = multiply(backend, lhs, dyT);
      const tap = sum(backend, prod, m === 1 ? [1, 2, 3] : [2, 3, 4]); // [c] or [c,m]
      taps.push(reshape(backend, tap, [1, c * m]));
      release(backend, win, prod, tap);
      if (lhs !== win) release(backend, lhs);
    }
  }
  release(backend, xP, dyT);
  const stacked = taps.length === 1
    ? reshape(backend, taps[0], [1, c * m])
    : concat(backend, taps, 0);
  release(backend, ...taps);
  const dW = reshape(backend, stacked, [fh, fw, c, m]);
  release(backend, stacked);
  return dW;
}

/** Registration record of {@linkcode depthwiseBackpropFilter} for backend `wasm`. */
export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: "wasm",
  kernelFunc: depthwiseBackpropFilter as unknown as KernelConfig["kernelFunc"],
};
