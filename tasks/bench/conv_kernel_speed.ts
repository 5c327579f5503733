/**
 * `deno run -A tasks/bench/conv_kernel_speed.ts [BACKEND]`: GFLOP/s of the convolution kernels
 * (forward, filter gradient, input gradient) on the layer shapes of the benchmark models,
 * batch 128. Prints one JSON line per shape (read by bench.ts).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../backends/mod.ts";

/** One convolution layer: input [b,h,w,ci], filter [f,f,ci,co], stride, padding. */
export interface ConvShape {
  label: string;
  batch: number;
  size: number;
  inChannels: number;
  outChannels: number;
  filter: number;
  stride: number;
  pad: "same" | "valid";
}

/** Layer shapes of lab report 000's LeNet, VGG and ResNet-18 at 28×28×1, batch 128. */
export const BENCH_SHAPES: ConvShape[] = [
  {
    label: "lenet conv2 14²×6→16 5×5",
    batch: 128,
    size: 14,
    inChannels: 6,
    outChannels: 16,
    filter: 5,
    stride: 1,
    pad: "valid",
  },
  {
    label: "vgg conv2 28²×64→64 3×3",
    batch: 128,
    size: 28,
    inChannels: 64,
    outChannels: 64,
    filter: 3,
    stride: 1,
    pad: "same",
  },
  {
    label: "vgg conv4 14²×128→128 3×3",
    batch: 128,
    size: 14,
    inChannels: 128,
    outChannels: 128,
    filter: 3,
    stride: 1,
    pad: "same",
  },
  {
    label: "resnet l1 7²×64→64 3×3",
    batch: 128,
    size: 7,
    inChannels: 64,
    outChannels: 64,
    filter: 3,
    stride: 1,
    pad: "same",
  },
  {
    label: "resnet l2 7²×64→128 3×3/2",
    batch: 128,
    size: 7,
    inChannels: 64,
    outChannels: 128,
    filter: 3,
    stride: 2,
    pad: "same",
  },
  {
    label: "resnet l4 1²×512→512 3×3",
    batch: 128,
    size: 1,
    inChannels: 512,
    outChannels: 512,
    filter: 3,
    stride: 1,
    pad: "same",
  },
];

/** Milliseconds per call of `f` (median of `repeats` after one warm-up). */
function timeIt(f: () => tf.Tensor, repeats: number): number {
  f().dispose();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    const out = f();
    out.dataSync(); // async backends: wait for the result
    times.push(performance.now() - t);
    out.dispose();
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** Measured GFLOP/s of the three kernels of one shape on the active backend. */
export function measureConvKernels(s: ConvShape, repeats = 2) {
  const x = tf.randomNormal([s.batch, s.size, s.size, s.inChannels]) as tf.Tensor4D;
  const w = tf.randomNormal([s.filter, s.filter, s.inChannels, s.outChannels]) as tf.Tensor4D;
  const y = tf.conv2d(x, w, s.stride, s.pad);
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  const [, oh, ow] = y.shape;
  const flops = 2 * s.batch * oh * ow * s.outChannels * s.filter * s.filter * s.inChannels;
  const rate = (ms: number) => flops / ms / 1e6;
  const forward = timeIt(() => tf.conv2d(x, w, s.stride, s.pad), repeats);
  const filterGrad = timeIt(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: [s.stride, s.stride],
        pad: s.pad,
        dataFormat: "NHWC",
        filterShape: w.shape,
      }) as tf.Tensor,
    repeats,
  );
  const inputGrad = timeIt(
    () =>
      tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, {
        strides: [s.stride, s.stride],
        pad: s.pad,
        dataFormat: "NHWC",
        inputShape: x.shape,
      }) as tf.Tensor,
    repeats,
  );
  tf.dispose([x, w, y, dy]);
  return {
    shape: s.label,
    mflop: Math.round(flops / 1e6),
    forward: rate(forward),
    filterGrad: rate(filterGrad),
    inputGrad: rate(inputGrad),
  };
}

if (import.meta.main) {
  const choice = await useBackend(Deno.args[0] ?? "wasm");
  for (const s of BENCH_SHAPES) {
    console.log(JSON.stringify({ backend: choice.name, ...measureConvKernels(s) }));
  }
}
