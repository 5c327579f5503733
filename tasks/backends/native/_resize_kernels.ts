/** ResizeBilinear on float32 NHWC images (the data pipeline's resize), on every core. */
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { packResizeParams } from "./_abi.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
} from "./_kernel_utils.ts";

function resizeBilinear(args: NativeKernelArgs) {
  const { images } = args.inputs;
  const { alignCorners, halfPixelCenters, size } = args.attrs as {
    alignCorners: boolean;
    halfPixelCenters: boolean;
    size: [number, number];
  };
  if (!allFloat32(images) || images.shape.length !== 4) return cpuFallback("ResizeBilinear", args);
  const [n, ih, iw, c] = images.shape;
  const [oh, ow] = size;
  const backend = args.backend;
  const y = backend.allocFloat32(n * oh * ow * c);
  if (y.length > 0) {
    backend.native.check(backend.native.symbols.cn_resize_bilinear(
      packResizeParams({
        n,
        ih,
        iw,
        c,
        oh,
        ow,
        alignCorners: alignCorners ? 1 : 0,
        halfPixelCenters: halfPixelCenters ? 1 : 0,
      }),
      f32(backend, images),
      y,
    ));
  }
  return output(backend, [n, oh, ow, c], y);
}

/** The ResizeBilinear kernel config registered under `native`. */
export const resizeKernels: KernelConfig[] = [nativeKernel("ResizeBilinear", resizeBilinear)];
