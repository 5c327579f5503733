/**
 * Private building blocks shared by the model families: PyTorch-equivalent layers with
 * deterministic, name-derived initializer seeds and PyTorch's default initialization.
 *
 * Shapes are NHWC (`[b, h, w, c]`), the TF.js layout.
 */
import * as tf from "@tensorflow/tfjs";
import { BatchNorm } from "./batch_norm_layer.ts";
import { Dropout } from "./dropout_layer.ts";
import { Conv2D } from "./conv_layer.ts";
import { InputConv2D } from "./input_conv_layer.ts";
import { PaddedMaxPool2D } from "./max_pool_layer.ts";

/** A symbolic tensor of the functional API. */
export type T = tf.SymbolicTensor;

/** What every block function needs besides its input. */
export interface NetContext {
  /** Base seed; each initializer gets a seed derived from it and the layer name. */
  seed: number;
  /** `"none"` turns every batch-norm layer of the model into a no-op (lab report 002's ablation). */
  normalization: "batch" | "none";
}

/** Activation kinds the families use. */
export type ActivationKind = "relu" | "relu6" | "sigmoid" | "tanh" | "linear";

/**
 * A 31-bit seed from the model seed and a weight's name (FNV-1a), so every weight of every
 * layer is initialized the same way for the same seed, whatever the build order.
 */
export function seedFor(seed: number, name: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/** Number of channels (last axis) of a symbolic tensor. */
export function channels(x: T): number {
  return x.shape[x.shape.length - 1] as number;
}

// PyTorch's default for Conv/Linear (kaiming_uniform with a=√5, and the same bound for the
// bias) is U(±1/√fan_in); matching it keeps our numbers comparable with the lab reports.
function torchUniform(ctx: NetContext, name: string, fanIn: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({
    minval: -bound,
    maxval: bound,
    seed: seedFor(ctx.seed, name),
  });
}

/** Convolution settings with PyTorch's meaning (explicit symmetric zero padding). */
export interface ConvSpec {
  filters: number;
  kernel: number;
  /** Default 1. */
  stride?: number;
  /** Symmetric zero padding as in `nn.Conv2d(padding=p)`. Default 0. */
  padding?: number;
  /** Default true (PyTorch's default). */
  bias?: boolean;
  /** Depthwise convolution (`groups = in_channels`, `filters` must equal the input channels). */
  depthwise?: boolean;
}

/** Output size of a PyTorch convolution / pooling along one axis. */
export function torchOutSize(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

// TF.js "same" pads asymmetrically for strided windows; when that differs from PyTorch's
// symmetric padding convs pad explicitly with zeros, so shapes *and* pixel alignment match
// PyTorch (max pools pad implicitly, see maxPool).
function padFor(x: T, name: string, kernel: number, stride: number, padding: number) {
  if (padding === 0) return { x, mode: "valid" as const };
  if (sameMatchesTorch(x, kernel, stride, padding)) return { x, mode: "same" as const };
  const layer = tf.layers.zeroPadding2d({ name: `${name}.pad`, padding: [padding, padding] });
  return { x: layer.apply(x) as T, mode: "valid" as const };
}

/** Whether TF.js's "same" windows are PyTorch's symmetric `padding` for `x`'s height and width. */
function sameMatchesTorch(x: T, kernel: number, stride: number, padding: number): boolean {
  const sameTop = (size: number) => {
    const out = Math.ceil(size / stride);
    return Math.floor(Math.max((out - 1) * stride + kernel - size, 0) / 2);
  };
  return [x.shape[1] as number, x.shape[2] as number].every((size) =>
    Math.ceil(size / stride) === torchOutSize(size, kernel, stride, padding) &&
    sameTop(size) === padding
  );
}

/** `nn.Conv2d` with PyTorch's default initialization. `[b,h,w,c] → [b,h',w',filters]` */
export function conv2d(ctx: NetContext, x: T, name: string, spec: ConvSpec): T {
  const stride = spec.stride ?? 1;
  const bias = spec.bias ?? true;
  const inC = channels(x);
  const { x: input, mode } = padFor(x, name, spec.kernel, stride, spec.padding ?? 0);
  if (spec.depthwise) {
    if (spec.filters !== inC) {
      throw new Error(
        `Cannot build depthwise convolution '${name}' as filters must equal the input channels: filters ${spec.filters}, input channels ${inC}`,
      );
    }
    const fanIn = spec.kernel * spec.kernel;
    return tf.layers.depthwiseConv2d({
      name,
      kernelSize: spec.kernel,
      strides: stride,
      padding: mode,
      depthMultiplier: 1,
      useBias: bias,
      depthwiseInitializer: torchUniform(ctx, `${name}/depthwise_kernel`, fanIn),
      biasInitializer: torchUniform(ctx, `${name}/bias`, fanIn),
    }).apply(input) as T;
  }
  const fanIn = spec.kernel * spec.kernel * inC;
  const args = {
    name,
    filters: spec.filters,
    kernelSize: spec.kernel,
    strides: stride,
    padding: mode,
    useBias: bias,
    kernelInitializer: torchUniform(ctx, `${name}/kernel`, fanIn),
    biasInitializer: torchUniform(ctx, `${name}/bias`, fanIn),
  };
  const layer = dependsOnWeights(input) ? new Conv2D(args) : new InputConv2D(args);
  return layer.apply(input) as T;
}

/** Whether any layer upstream of `x` has a trainable weight (else it is the input, transformed). */
function dependsOnWeights(x: T): boolean {
  return x.sourceLayer.trainableWeights.length > 0 || x.inputs.some(dependsOnWeights);
}

/** `nn.Linear` with PyTorch's default initialization. `[b,n] → [b,units]` */
export function dense(ctx: NetContext, x: T, name: string, units: number, bias = true): T {
  const fanIn = channels(x);
  return tf.layers.dense({
    name,
    units,
    useBias: bias,
    kernelInitializer: torchUniform(ctx, `${name}/kernel`, fanIn),
    biasInitializer: torchUniform(ctx, `${name}/bias`, fanIn),
  }).apply(x) as T;
}

/**
 * `nn.BatchNorm2d` / `nn.BatchNorm1d` with PyTorch's defaults (eps 1e-5, momentum 0.1, which is
 * 0.9 in TF.js's convention). Returns `x` unchanged when the context disables normalization.
 */
export function batchNorm(ctx: NetContext, x: T, name: string): T {
  if (ctx.normalization === "none") return x;
  return new BatchNorm({ name, momentum: 0.1, epsilon: 1e-5 }).apply(x) as T;
}

/** An activation layer; `"linear"` returns `x`. */
export function activation(x: T, name: string, kind: ActivationKind): T {
  if (kind === "linear") return x;
  if (kind === "relu6") return tf.layers.reLU({ name, maxValue: 6 }).apply(x) as T;
  return tf.layers.activation({ name, activation: kind }).apply(x) as T;
}

/** Pooling settings with PyTorch's meaning. */
export interface PoolSpec {
  size: number;
  /** Default `size`. */
  stride?: number;
  /** Default 0. */
  padding?: number;
}

/** `nn.MaxPool2d`; padded cells never win, as in PyTorch. */
export function maxPool(x: T, name: string, spec: PoolSpec): T {
  const stride = spec.stride ?? spec.size;
  const padding = spec.padding ?? 0;
  if (padding > 0 && !sameMatchesTorch(x, spec.size, stride, padding)) {
    return new PaddedMaxPool2D({ name, poolSize: spec.size, strides: stride, padding }).apply(
      x,
    ) as T;
  }
  return tf.layers.maxPooling2d({
    name,
    poolSize: spec.size,
    strides: stride,
    padding: padding === 0 ? "valid" : "same",
  }).apply(x) as T;
}

/** `nn.AvgPool2d` without padding. */
export function avgPool(x: T, name: string, spec: PoolSpec): T {
  const stride = spec.stride ?? spec.size;
  return tf.layers.averagePooling2d({
    name,
    poolSize: spec.size,
    strides: stride,
    padding: "valid",
  })
    .apply(x) as T;
}

/** `nn.AdaptiveAvgPool2d(1)` + flatten. `[b,h,w,c] → [b,c]` */
export function globalAvgPool(x: T, name: string): T {
  return tf.layers.globalAveragePooling2d({ name }).apply(x) as T;
}

/**
 * `nn.Dropout` ({@linkcode Dropout}); returns `x` for rate 0. Deliberately unseeded: a fixed seed
 * would draw the same mask at every step; the trainer makes randomness deterministic globally.
 */
export function dropout(x: T, name: string, rate: number): T {
  if (rate <= 0) return x;
  return new Dropout({ name, rate }).apply(x) as T;
}

/** `torch.flatten(x, 1)`. */
export function flatten(x: T, name: string): T {
  return tf.layers.flatten({ name }).apply(x) as T;
}

/** Element-wise sum of same-shaped tensors. */
export function add(xs: T[], name: string): T {
  return tf.layers.add({ name }).apply(xs) as T;
}

/** Concatenation along channels. */
export function concat(xs: T[], name: string): T {
  return tf.layers.concatenate({ name, axis: -1 }).apply(xs) as T;
}

/** conv → BN → activation, the most common unit. */
export function convBnAct(
  ctx: NetContext,
  x: T,
  name: string,
  spec: ConvSpec,
  act: ActivationKind,
  names: { bn: string; act: string } = { bn: `${name}.bn`, act: `${name}.${act}` },
): T {
  const y = conv2d(ctx, x, name, spec);
  return activation(batchNorm(ctx, y, names.bn), names.act, act);
}
