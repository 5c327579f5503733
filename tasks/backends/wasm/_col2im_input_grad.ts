/**
 * Convolution input gradient as one matrix product and a scatter-add (col2im), for layers
 * where that is far less work than a convolution over the zero-inserted gradient: strided or
 * tiny feature maps (ResNet's 1×1 and 2×2 stages: 9× fewer FLOPs), and few input channels
 * (the stem's 1 channel, a 1-column product XNNPACK runs badly).
 * @module
 */
import {
  backend_util,
  getKernel,
  type KernelBackend,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { heapView, makeOutput } from "./_heap.ts";
import { release, reshape } from "./_ops.ts";

/** Scatter-adds up to this many values in JS; above it the convolution path is faster. */
const MAX_SCATTER = 8_000_000;

let policy: "auto" | "always" | "never" = "auto";

/** Forces one input-gradient path (tests cover both); `auto` picks the faster. */
export function setCol2imPolicy(next: "auto" | "always" | "never"): void {
  policy = next;
}

/** Whether {@linkcode col2imInputGrad} is the faster path for this layer. */
export function preferCol2im(info: backend_util.Conv2DInfo): boolean {
  if (policy !== "auto") return policy === "always";
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels } = info;
  const scatter = batchSize * outHeight * outWidth * filterHeight * filterWidth * inChannels;
  if (scatter > MAX_SCATTER) return false;
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  return strided || outHeight * outWidth <= 16 || inChannels <= 4;
}

/**
 * dx = col2im(dy · Wᵀ): the product [b·oh·ow, co] × [co, fh·fw·ci] gives each output
 * position's contribution to its input window; adding them into place gives dx.
 */
export function col2imInputGrad(
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: b, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const { inChannels: ci, outChannels: co, inHeight: h, inWidth: w } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const rows = reshape(backend, dy, [1, b * oh * ow, co]);
  const weights = reshape(backend, filter, [1, fh * fw * ci, co]);
  const matMul = getKernel("BatchMatMul", "wasm")!.kernelFunc;
  const cols = matMul({
    inputs: { a: rows, b: weights },
    backend,
    attrs: { transposeA: false, transposeB: true },
  }) as TensorInfo; // [1, b·oh·ow, fh·fw·ci]
  release(backend, rows, weights);
  const dx = makeOutput(backend, [b, h, w, ci], "float32");
  const src = heapView(backend, cols) as Float32Array;
  const out = heapView(backend, dx) as Float32Array;
  out.fill(0);
  const window = fh * fw * ci;
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const from = ((n * oh + i) * ow + j) * window;
        for (let p = 0; p < fh; p++) {
          const y = i * sh + p * dh - top;
          if (y < 0 || y >= h) continue;
          for (let q = 0; q < fw; q++) {
            const x = j * sw + q * dw - left;
            if (x < 0 || x >= w) continue;
            const to = ((n * h + y) * w + x) * ci;
            const at = from + (p * fw + q) * ci;
            for (let k = 0; k < ci; k++) out[to + k] += src[at + k];
          }
        }
      }
    }
  }
  release(backend, cols);
  return dx;
}
