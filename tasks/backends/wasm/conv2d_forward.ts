/**
 * `Conv2D` and `FusedConv2D` for the wasm backend on maps smaller than the filter: the filter is
 * cropped to the taps that meet real input (`_used_taps.ts`: a 3×3 "same" convolution of a 1×1
 * map runs as the 1×1 convolution it is), or, when every tap is used but most windows are
 * padding, the convolution runs as one dense product (`_dense_small_conv.ts`, 2×2 maps). Every
 * other convolution goes to the backend's kernel unchanged.
 * @module
 */
import {
  backend_util,
  Conv2D,
  FusedConv2D,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { denseConv, preferDense } from "./_dense_small_conv.ts";
import { release } from "./_ops.ts";
import { originalKernel } from "./_original_kernels.ts";
import { cropTaps, usedTaps } from "./_used_taps.ts";

type Args = {
  inputs: { x: TensorInfo; filter: TensorInfo } & Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs: NamedAttrMap;
};

function cropped(name: string) {
  return (args: Args): TensorInfo => {
    const { inputs: { x, filter }, backend, attrs } = args;
    const original = originalKernel(name);
    const format = backend_util.convertConv2DDataFormat(
      (attrs.dataFormat as "NHWC" | "NCHW" | undefined) ?? "NHWC",
    );
    if (format !== "channelsLast" || x.shape.length !== 4) {
      return original(args as never) as TensorInfo;
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides as [number, number],
      attrs.dilations as [number, number],
      attrs.pad as backend_util.ExplicitPadding,
      attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
      false,
      format,
    );
    const taps = usedTaps(info);
    if (taps === null) {
      // The dense form has no bias or activation to fuse.
      const plain = args.inputs.bias === undefined && args.inputs.preluActivationWeights ===
          undefined &&
        (attrs.activation ?? "linear") === "linear";
      if (plain && preferDense(info)) return denseConv(backend, x, filter, info);
      return original(args as never) as TensorInfo;
    }
    const small = cropTaps(backend, filter, taps);
    const out = original({
      ...args,
      inputs: { ...args.inputs, filter: small },
      attrs: { ...attrs, pad: taps.pad, dimRoundingMode: undefined },
    } as never) as TensorInfo;
    release(backend, small);
    return out;
  };
}

/** Registration records of the two kernels for backend `wasm`. */
export const conv2dForwardConfigs: KernelConfig[] = [Conv2D, FusedConv2D].map((kernelName) => ({
  kernelName,
  backendName: "wasm",
  kernelFunc: cropped(kernelName) as unknown as KernelConfig["kernelFunc"],
}));
