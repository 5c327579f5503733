/**
 * Slice and PadV2 on float32 tensors. Models that pad explicitly to match PyTorch (ResNet's
 * stem, strided 3×3 convs) run PadV2 forward and Slice as its gradient on full activations,
 * where the cpu backend's generic per-element indexing took over a second per step.
 */
import { type KernelConfig, slice_util } from "@tensorflow/tfjs-core";
import { contiguousStrides, stridedCopy } from "./_elementwise_kernels.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
  sizeOf,
} from "./_kernel_utils.ts";

const maxRank = 8;

function slice(args: NativeKernelArgs) {
  const { x } = args.inputs;
  const attrs = args.attrs as { begin: number | number[]; size?: number | number[] };
  if (!allFloat32(x) || x.shape.length > maxRank) return cpuFallback("Slice", args);
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  slice_util.assertParamsValid(x, begin, size);
  const strides = contiguousStrides(x.shape);
  const offset = begin.reduce((o, b, i) => o + b * strides[i], 0);
  if (sizeOf(size) === 0) return output(args.backend, size, new Float32Array(0));
  return output(args.backend, size, stridedCopy(args, size, strides, offset));
}

function padV2(args: NativeKernelArgs) {
  const { x } = args.inputs;
  const attrs = args.attrs as { paddings: [number, number][]; constantValue: number };
  const rank = x.shape.length;
  if (!allFloat32(x) || rank === 0 || rank > maxRank) return cpuFallback("PadV2", args);
  const backend = args.backend;
  const outShape = x.shape.map((d, i) => attrs.paddings[i][0] + d + attrs.paddings[i][1]);
  const out = backend.allocFloat32(sizeOf(outShape));
  if (out.length > 0) {
    backend.native.check(backend.native.symbols.cn_pad(
      rank,
      Int32Array.from(x.shape),
      Int32Array.from(attrs.paddings.map((p) => p[0])),
      Int32Array.from(attrs.paddings.map((p) => p[1])),
      f32(backend, x),
      out,
      attrs.constantValue,
    ));
  }
  return output(backend, outShape, out);
}

/** The Slice and PadV2 kernel configs registered under `native`. */
export const slicePadKernels: KernelConfig[] = [
  nativeKernel("Slice", slice),
  nativeKernel("PadV2", padV2),
];
