import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends, ensureNative } from "./_compare.ts";

type Pad = "same" | "valid" | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  n: number;
  h: number;
  w: number;
  c: number;
  k: [number, number];
  out: number; // output channels, or the channel multiplier for depthwise
  stride: number;
  dilation: number;
  pad: Pad;
}

const explicit: Pad = [[0, 0], [1, 2], [0, 1], [0, 0]];

// Batch 1 and >1, stride 1/2, same/valid/explicit padding, odd sizes, dilation.
const cases: ConvCase[] = [
  { n: 1, h: 7, w: 7, c: 1, k: [5, 5], out: 6, stride: 1, dilation: 1, pad: "same" },
  { n: 3, h: 9, w: 11, c: 3, k: [3, 3], out: 5, stride: 2, dilation: 1, pad: "same" },
  { n: 2, h: 8, w: 7, c: 4, k: [3, 2], out: 3, stride: 2, dilation: 1, pad: "valid" },
  { n: 2, h: 10, w: 9, c: 2, k: [3, 3], out: 4, stride: 1, dilation: 2, pad: "same" },
  { n: 1, h: 9, w: 9, c: 3, k: [2, 3], out: 2, stride: 1, dilation: 2, pad: "valid" },
  { n: 2, h: 6, w: 5, c: 3, k: [3, 3], out: 4, stride: 2, dilation: 1, pad: explicit },
  { n: 4, h: 5, w: 5, c: 8, k: [1, 1], out: 16, stride: 2, dilation: 1, pad: "valid" },
  { n: 2, h: 14, w: 14, c: 1, k: [7, 7], out: 8, stride: 2, dilation: 1, pad: "same" },
  // Outputs of at most 4x4 with 64 or more channels go through im2col + sgemm instead of
  // oneDNN's direct kernels (with fewer channels they stay with oneDNN).
  { n: 3, h: 4, w: 4, c: 5, k: [3, 3], out: 6, stride: 1, dilation: 1, pad: "same" },
  { n: 3, h: 4, w: 4, c: 5, k: [3, 3], out: 64, stride: 1, dilation: 1, pad: "same" },
  { n: 2, h: 2, w: 2, c: 7, k: [3, 3], out: 70, stride: 1, dilation: 1, pad: "same" },
  { n: 2, h: 7, w: 7, c: 4, k: [3, 3], out: 72, stride: 2, dilation: 1, pad: "same" },
  { n: 2, h: 6, w: 6, c: 3, k: [2, 2], out: 65, stride: 1, dilation: 2, pad: "valid" },
  // Filters wider than the padded map: the shim drops the taps that only see padding.
  { n: 3, h: 1, w: 1, c: 8, k: [3, 3], out: 5, stride: 1, dilation: 1, pad: "same" },
  { n: 2, h: 2, w: 3, c: 4, k: [5, 5], out: 3, stride: 1, dilation: 1, pad: "same" },
  {
    n: 2,
    h: 1,
    w: 4,
    c: 3,
    k: [3, 3],
    out: 2,
    stride: 2,
    dilation: 1,
    pad: [[0, 0], [1, 1], [
      1,
      1,
    ], [0, 0]],
  },
  { n: 2, h: 3, w: 3, c: 2, k: [3, 3], out: 4, stride: 1, dilation: 2, pad: "same" },
  // Stride 1 with channels in multiples of 16: the input gradient runs as a forward convolution
  // with the rotated filter.
  { n: 2, h: 6, w: 5, c: 16, k: [3, 3], out: 32, stride: 1, dilation: 1, pad: "same" },
  { n: 1, h: 7, w: 6, c: 32, k: [3, 2], out: 16, stride: 1, dilation: 1, pad: "valid" },
  {
    n: 2,
    h: 6,
    w: 6,
    c: 16,
    k: [3, 3],
    out: 16,
    stride: 1,
    dilation: 1,
    pad: [[0, 0], [1, 0], [0, 2], [0, 0]],
  },
];

const tolerance = 1e-4;

function label(c: ConvCase): string {
  return `n${c.n} ${c.h}x${c.w}x${c.c} k${c.k} s${c.stride} d${c.dilation} ${
    JSON.stringify(c.pad)
  }`;
}

Deno.test("conv2d forward matches the cpu backend on randomized shapes", async () => {
  await ensureNative();
  for (const [i, c] of cases.entries()) {
    const err = await compareBackends(
      [{ shape: [c.n, c.h, c.w, c.c], seed: i + 1 }, {
        shape: [...c.k, c.c, c.out],
        seed: i + 100,
      }],
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad, "NHWC", c.dilation),
    );
    assert.ok(err < tolerance, `${label(c)}: relative error ${err}`);
  }
});

Deno.test("conv2d input and filter gradients match the cpu backend", async () => {
  for (const [i, c] of cases.filter((c) => c.dilation === 1).entries()) {
    const err = await compareBackends(
      [
        { shape: [c.n, c.h, c.w, c.c], seed: i + 1 },
        { shape: [...c.k, c.c, c.out], seed: i + 100 },
      ],
      (x, w) => {
        const f = (a: tf.Tensor, b: tf.Tensor) => {
          const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
          return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
        };
        return tf.grads(f)([x, w]);
      },
    );
    assert.ok(err < tolerance, `${label(c)}: relative error ${err}`);
  }
});

Deno.test("fused conv2d with bias and each activation matches the cpu backend", async () => {
  for (const c of [cases[1], cases[8]]) {
    for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"]) {
      const err = await compareBackends(
        [
          { shape: [c.n, c.h, c.w, c.c], seed: 5 },
          { shape: [...c.k, c.c, c.out], seed: 6 },
          { shape: [c.out], seed: 7 },
          { shape: [c.out], seed: 8 },
        ],
        (x, w, b, alpha) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            strides: c.stride,
            pad: c.pad as "same",
            bias: b,
            activation: activation as tf.fused.Activation,
            preluActivationWeights: alpha,
            leakyreluAlpha: 0.3,
          }),
        ["Prelu"], // prelu is applied by the cpu kernel after the native convolution
      );
      assert.ok(err < tolerance, `${label(c)} ${activation}: relative error ${err}`);
    }
  }
});

Deno.test("fused conv2d with relu backpropagates like the cpu backend", async () => {
  const err = await compareBackends(
    [{ shape: [2, 6, 6, 3], seed: 11 }, { shape: [3, 3, 3, 4], seed: 12 }, {
      shape: [4],
      seed: 13,
    }],
    (x, w, b) =>
      tf.grads((a: tf.Tensor, f: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.conv2d({
          x: a as tf.Tensor4D,
          filter: f as tf.Tensor4D,
          strides: 1,
          pad: "same",
          bias: c,
          activation: "relu",
        })))
      )([x, w, b]),
  );
  assert.ok(err < tolerance, `relative error ${err}`);
});

Deno.test("depthwise conv2d and its gradients match the cpu backend for multipliers 1 and 2", async () => {
  for (const [i, c] of cases.entries()) {
    const multiplier = 1 + (i % 2);
    const shapes = [{ shape: [c.n, c.h, c.w, c.c], seed: i + 1 }, {
      shape: [...c.k, c.c, multiplier],
      seed: i + 50,
    }];
    const forward = await compareBackends(
      shapes,
      (x, w) =>
        tf.depthwiseConv2d(
          x as tf.Tensor4D,
          w as tf.Tensor4D,
          c.stride,
          c.pad,
          "NHWC",
          c.dilation,
        ),
    );
    assert.ok(forward < tolerance, `${label(c)} m${multiplier}: forward error ${forward}`);
    if (c.dilation !== 1) continue; // tfjs has no depthwise gradient for dilation > 1
    const backward = await compareBackends(
      shapes,
      (x, w) =>
        tf.grads((a: tf.Tensor, f: tf.Tensor) => {
          const y = tf.depthwiseConv2d(a as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad);
          return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape))));
        })([x, w]),
    );
    assert.ok(backward < tolerance, `${label(c)} m${multiplier}: gradient error ${backward}`);
  }
});
