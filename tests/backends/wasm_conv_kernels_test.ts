import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../../tasks/backends/mod.ts";
import { setCol2imPolicy } from "../../tasks/backends/wasm/_col2im_input_grad.ts";
import { randomValues, relativeError, runKernelOn, seededUniform } from "./_compare_kernels.ts";

type Pad = "same" | "valid" | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  b: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  fh: number;
  fw: number;
  s: [number, number];
  pad: Pad;
}

// batch 1 and >1, stride 1 and 2 (also mixed), same/valid/explicit padding, odd sizes.
const CASES: Case[] = [
  { b: 1, h: 7, w: 9, ci: 3, co: 4, fh: 3, fw: 3, s: [1, 1], pad: "same" },
  { b: 3, h: 8, w: 8, ci: 2, co: 5, fh: 3, fw: 3, s: [2, 2], pad: "same" },
  { b: 2, h: 9, w: 7, ci: 4, co: 3, fh: 3, fw: 2, s: [2, 1], pad: "valid" },
  { b: 1, h: 10, w: 11, ci: 1, co: 6, fh: 5, fw: 5, s: [1, 1], pad: "valid" },
  { b: 4, h: 8, w: 8, ci: 3, co: 2, fh: 3, fw: 3, s: [2, 2], pad: "valid" },
  {
    b: 2,
    h: 10,
    w: 10,
    ci: 3,
    co: 2,
    fh: 5,
    fw: 3,
    s: [2, 2],
    pad: [[0, 0], [1, 2], [2, 0], [0, 0]],
  },
  { b: 2, h: 6, w: 6, ci: 2, co: 3, fh: 1, fw: 1, s: [2, 2], pad: "valid" },
  {
    b: 2,
    h: 5,
    w: 5,
    ci: 2,
    co: 2,
    fh: 3,
    fw: 3,
    s: [1, 1],
    pad: [[0, 0], [3, 3], [0, 4], [0, 0]],
  },
  { b: 3, h: 13, w: 12, ci: 5, co: 7, fh: 7, fw: 7, s: [2, 2], pad: "same" },
  // Maps smaller than the filter with every tap used: one dense product.
  { b: 3, h: 2, w: 2, ci: 5, co: 6, fh: 3, fw: 3, s: [1, 1], pad: "same" },
  { b: 2, h: 3, w: 2, ci: 3, co: 2, fh: 3, fw: 5, s: [1, 1], pad: "same" },
  // Filter taps that only meet padding (the kernels crop them): centre tap only, rows only,
  // part of a 5×5, strided.
  { b: 3, h: 1, w: 1, ci: 4, co: 5, fh: 3, fw: 3, s: [1, 1], pad: "same" },
  { b: 2, h: 1, w: 4, ci: 3, co: 2, fh: 3, fw: 3, s: [1, 1], pad: "same" },
  { b: 2, h: 2, w: 3, ci: 3, co: 4, fh: 5, fw: 5, s: [1, 1], pad: "same" },
  { b: 2, h: 1, w: 1, ci: 2, co: 3, fh: 3, fw: 3, s: [2, 2], pad: "same" },
  {
    b: 2,
    h: 2,
    w: 2,
    ci: 2,
    co: 3,
    fh: 3,
    fw: 3,
    s: [1, 1],
    pad: [[0, 0], [0, 3], [2, 0], [0, 0]],
  },
];

function describe(c: Case): string {
  return `x [${c.b},${c.h},${c.w},${c.ci}] filter ${c.fh}×${c.fw}→${c.co} stride ${c.s} pad ${
    JSON.stringify(c.pad)
  }`;
}

for (const path of ["always", "never"] as const) {
  Deno.test(`wasm Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend within 1e-4 (col2im ${path})`, async () => {
    await useBackend("wasm");
    setCol2imPolicy(path);
    try {
      await compareConvGradients();
    } finally {
      setCol2imPolicy("auto");
    }
  });
}

async function compareConvGradients() {
  const next = seededUniform(42);
  for (const c of CASES) {
    const x = { shape: [c.b, c.h, c.w, c.ci], values: randomValues(c.b * c.h * c.w * c.ci, next) };
    const filter = {
      shape: [c.fh, c.fw, c.ci, c.co],
      values: randomValues(c.fh * c.fw * c.ci * c.co, next),
    };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      c.s,
      1,
      c.pad,
    );
    const dy = {
      shape: info.outShape,
      values: randomValues(tf.util.sizeFromShape(info.outShape), next),
    };
    const common = { strides: c.s, pad: c.pad, dataFormat: "NHWC" };
    for (
      const [kernel, inputs, attrs] of [
        ["Conv2DBackpropFilter", { x, dy }, { ...common, filterShape: filter.shape }],
        ["Conv2DBackpropInput", { dy, filter }, { ...common, inputShape: x.shape }],
      ] as const
    ) {
      const got = await runKernelOn("wasm", kernel, inputs, attrs);
      const want = await runKernelOn("cpu", kernel, inputs, attrs);
      assert.deepEqual(got.shape, want.shape, `${kernel} shape for ${describe(c)}`);
      const err = relativeError(got.values, want.values);
      assert.ok(err < 1e-4, `${kernel} relative error ${err} for ${describe(c)}`);
    }
  }
}

Deno.test("wasm Conv2D and FusedConv2D match the cpu backend (cropped filters and dense products included)", async () => {
  await useBackend("wasm");
  const next = seededUniform(7);
  for (const c of CASES) {
    const x = { shape: [c.b, c.h, c.w, c.ci], values: randomValues(c.b * c.h * c.w * c.ci, next) };
    const filter = {
      shape: [c.fh, c.fw, c.ci, c.co],
      values: randomValues(c.fh * c.fw * c.ci * c.co, next),
    };
    const bias = { shape: [c.co], values: randomValues(c.co, next) };
    const attrs = { strides: c.s, pad: c.pad, dataFormat: "NHWC", dilations: [1, 1] };
    for (
      const [kernel, inputs, extra] of [
        ["Conv2D", { x, filter }, {}],
        ["FusedConv2D", { x, filter, bias }, { activation: "relu" }],
        ["FusedConv2D", { x, filter }, { activation: "linear" }],
      ] as const
    ) {
      const got = await runKernelOn("wasm", kernel, inputs, { ...attrs, ...extra });
      const want = await runKernelOn("cpu", kernel, inputs, { ...attrs, ...extra });
      assert.deepEqual(got.shape, want.shape, `${kernel} shape for ${describe(c)}`);
      const err = relativeError(got.values, want.values);
      assert.ok(err < 1e-5, `${kernel} relative error ${err} for ${describe(c)}`);
    }
  }
});

Deno.test("wasm conv gradient kernels release every intermediate and keep their inputs", async () => {
  await useBackend("wasm");
  const backend = tf.backend();
  const x = tf.randomNormal([2, 9, 9, 3], 0, 1, "float32", 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 3, 4], 0, 1, "float32", 2) as tf.Tensor4D;
  const dy = tf.randomNormal([2, 5, 5, 4], 0, 1, "float32", 3) as tf.Tensor4D;
  const tensors = tf.memory().numTensors;
  const dataIds = backend.numDataIds();
  const attrs = { strides: [2, 2], pad: "same", dataFormat: "NHWC" };
  const dw = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
    ...attrs,
    filterShape: w.shape,
  }) as tf.Tensor;
  const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, {
    ...attrs,
    inputShape: x.shape,
  }) as tf.Tensor;
  assert.equal(tf.memory().numTensors, tensors + 2);
  assert.equal(backend.numDataIds(), dataIds + 2);
  tf.dispose([dw, dx]);
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(backend.numDataIds(), dataIds);
  // Inputs still readable: nothing was freed early.
  assert.equal(x.dataSync().length, 2 * 9 * 9 * 3);
  assert.equal(dy.dataSync().length, 2 * 5 * 5 * 4);
  tf.dispose([x, w, dy]);
});
