/**
 * Convolution kernels of the `native` backend (NHWC only; NCHW and exotic biases fall back to
 * the cpu kernels): Conv2D, FusedConv2D, their depthwise twins and all four gradients.
 */
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { activationCodes, convParams } from "./_conv_params.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
  sizeOf,
} from "./_kernel_utils.ts";

type Attrs = {
  strides: [number, number] | number;
  pad: "same" | "valid" | number | backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dilations?: [number, number] | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
  activation?: string;
  leakyreluAlpha?: number;
};

const noBias = new Float32Array(1);

function attrsOf(args: NativeKernelArgs): Attrs {
  return args.attrs as unknown as Attrs;
}

function channelsLast(a: Attrs): boolean {
  return a.dataFormat === undefined || a.dataFormat === "NHWC";
}

function info(a: Attrs, xShape: number[], filterShape: number[], depthwise: boolean) {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    depthwise,
    "channelsLast",
  );
}

function convForward(args: NativeKernelArgs, depthwise: boolean, fused: boolean, name: string) {
  const { x, filter, bias, preluActivationWeights } = args.inputs;
  const a = attrsOf(args);
  const activation = a.activation ?? "linear";
  const act = activation === "prelu" ? 0 : activationCodes[activation];
  if (!channelsLast(a) || act === undefined || !allFloat32(x, filter, bias)) {
    return cpuFallback(name, args);
  }
  const backend = args.backend;
  const ci = info(a, x.shape, filter.shape, depthwise);
  let biasValues: Float32Array = noBias;
  if (fused && bias != null) {
    const b = f32(backend, bias);
    if (b.length === ci.outChannels) biasValues = b;
    else if (b.length === 1) biasValues = new Float32Array(ci.outChannels).fill(b[0]);
    else return cpuFallback(name, args);
  }
  const y = backend.allocFloat32(ci.batchSize * ci.outHeight * ci.outWidth * ci.outChannels);
  const p = convParams(ci, depthwise, biasValues !== noBias, act, a.leakyreluAlpha ?? 0.2);
  backend.native.check(
    backend.native.symbols.cn_conv_fwd(p, f32(backend, x), f32(backend, filter), biasValues, y),
  );
  const out = output(backend, ci.outShape, y);
  if (activation !== "prelu") return out;
  const result = cpuFallback("Prelu", {
    inputs: { x: out, alpha: preluActivationWeights },
    backend,
  }) as TensorInfo;
  backend.disposeIntermediateTensorInfo(out);
  return result;
}

function convBackpropInput(args: NativeKernelArgs, depthwise: boolean, name: string) {
  const { dy, filter } = args.inputs;
  const a = attrsOf(args);
  if (!channelsLast(a) || !allFloat32(dy, filter) || a.inputShape === undefined) {
    return cpuFallback(name, args);
  }
  const backend = args.backend;
  const inputShape = a.inputShape;
  const p = convParams(info(a, inputShape, filter.shape, depthwise), depthwise, false, 0);
  // Lazy: the first layer's input gradient is computed by tfjs but never read.
  return backend.makeLazyTensorInfo(inputShape, [dy, filter], () => {
    const dx = backend.allocFloat32(sizeOf(inputShape));
    backend.native.check(
      backend.native.symbols.cn_conv_bwd_data(p, f32(backend, dy), f32(backend, filter), dx),
    );
    return dx;
  });
}

function convBackpropFilter(args: NativeKernelArgs, depthwise: boolean, name: string) {
  const { x, dy } = args.inputs;
  const a = attrsOf(args);
  if (!channelsLast(a) || !allFloat32(x, dy) || a.filterShape === undefined) {
    return cpuFallback(name, args);
  }
  const backend = args.backend;
  const ci = info(a, x.shape, a.filterShape, depthwise);
  const dw = backend.allocFloat32(sizeOf(a.filterShape));
  backend.native.check(
    backend.native.symbols.cn_conv_bwd_weights(
      convParams(ci, depthwise, false, 0),
      f32(backend, x),
      f32(backend, dy),
      dw,
    ),
  );
  return output(backend, a.filterShape, dw);
}

/** The convolution kernel configs registered under `native`. */
export const convKernels: KernelConfig[] = [
  nativeKernel("Conv2D", (args) => convForward(args, false, false, "Conv2D")),
  nativeKernel("FusedConv2D", (args) => convForward(args, false, true, "FusedConv2D")),
  nativeKernel(
    "DepthwiseConv2dNative",
    (args) => convForward(args, true, false, "DepthwiseConv2dNative"),
  ),
  nativeKernel(
    "FusedDepthwiseConv2D",
    (args) => convForward(args, true, true, "FusedDepthwiseConv2D"),
  ),
  nativeKernel(
    "Conv2DBackpropInput",
    (args) => convBackpropInput(args, false, "Conv2DBackpropInput"),
  ),
  nativeKernel(
    "DepthwiseConv2dNativeBackpropInput",
    (args) => convBackpropInput(args, true, "DepthwiseConv2dNativeBackpropInput"),
  ),
  nativeKernel(
    "Conv2DBackpropFilter",
    (args) => convBackpropFilter(args, false, "Conv2DBackpropFilter"),
  ),
  nativeKernel(
    "DepthwiseConv2dNativeBackpropFilter",
    (args) => convBackpropFilter(args, true, "DepthwiseConv2dNativeBackpropFilter"),
  ),
];
