import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../../tasks/backends/mod.ts";
import {
  type HostTensor,
  randomValues,
  relativeError,
  runKernelOn,
  seededUniform,
} from "./_compare_kernels.ts";

interface Case {
  b: number;
  h: number;
  w: number;
  c: number;
  m: number;
  f: number;
  s: number;
  d: number;
  pad: "same" | "valid" | [[0, 0], [number, number], [number, number], [0, 0]];
}

const CASES: Case[] = [
  { b: 1, h: 7, w: 9, c: 3, m: 1, f: 3, s: 1, d: 1, pad: "same" },
  { b: 3, h: 8, w: 8, c: 2, m: 2, f: 3, s: 2, d: 1, pad: "same" },
  { b: 2, h: 11, w: 10, c: 3, m: 1, f: 5, s: 2, d: 1, pad: "valid" },
  { b: 2, h: 9, w: 7, c: 2, m: 3, f: 3, s: 1, d: 2, pad: "valid" },
  { b: 1, h: 9, w: 9, c: 4, m: 1, f: 3, s: 1, d: 2, pad: "same" },
  { b: 2, h: 10, w: 9, c: 2, m: 2, f: 3, s: 2, d: 1, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
];

/** The filter with d−1 zeros between taps: a dilation-1 filter with the same effect. */
function dilateFilter(filter: HostTensor, d: number): HostTensor {
  const [f, , c, m] = filter.shape;
  const e = (f - 1) * d + 1;
  const values = new Float32Array(e * e * c * m);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) {
      const from = (i * f + j) * c * m;
      values.set(filter.values.subarray(from, from + c * m), (i * d * e + j * d) * c * m);
    }
  }
  return { shape: [e, e, c, m], values };
}

/** Taps of a dilated-filter gradient that correspond to the real filter's taps. */
function undilate(grad: HostTensor, f: number, d: number): Float32Array {
  const [e, , c, m] = grad.shape;
  const out = new Float32Array(f * f * c * m);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) {
      const from = (i * d * e + j * d) * c * m;
      out.set(grad.values.subarray(from, from + c * m), (i * f + j) * c * m);
    }
  }
  return out;
}

// tfjs-backend-cpu's depthwise gradient kernels ignore `dilations` (its op never sends them
// dilated gradients), so dilated cases are checked against the equivalent zero-dilated filter.
Deno.test("wasm depthwise gradient kernels match the cpu backend within 1e-4, dilation and multiplier included", async () => {
  await useBackend("wasm");
  const next = seededUniform(7);
  for (const c of CASES) {
    const label = JSON.stringify(c);
    const x = { shape: [c.b, c.h, c.w, c.c], values: randomValues(c.b * c.h * c.w * c.c, next) };
    const filter = {
      shape: [c.f, c.f, c.c, c.m],
      values: randomValues(c.f * c.f * c.c * c.m, next),
    };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      c.s,
      c.d,
      c.pad,
      undefined,
      true,
    );
    const dy = {
      shape: info.outShape,
      values: randomValues(tf.util.sizeFromShape(info.outShape), next),
    };
    const attrs = { strides: [c.s, c.s], dilations: [c.d, c.d], pad: c.pad };
    const wide = dilateFilter(filter, c.d);
    const refAttrs = { strides: [c.s, c.s], dilations: [1, 1], pad: c.pad };

    const gotF = await runKernelOn("wasm", "DepthwiseConv2dNativeBackpropFilter", { x, dy }, {
      ...attrs,
      filterShape: filter.shape,
    });
    const wantF = await runKernelOn("cpu", "DepthwiseConv2dNativeBackpropFilter", { x, dy }, {
      ...refAttrs,
      filterShape: wide.shape,
    });
    assert.deepEqual(gotF.shape, filter.shape, label);
    const errF = relativeError(gotF.values, undilate(wantF, c.f, c.d));
    assert.ok(errF < 1e-4, `filter gradient relative error ${errF} for ${label}`);

    const gotI = await runKernelOn("wasm", "DepthwiseConv2dNativeBackpropInput", { dy, filter }, {
      ...attrs,
      inputShape: x.shape,
    });
    const wantI = await runKernelOn("cpu", "DepthwiseConv2dNativeBackpropInput", {
      dy,
      filter: wide,
    }, {
      ...refAttrs,
      inputShape: x.shape,
    });
    assert.deepEqual(gotI.shape, x.shape, label);
    const errI = relativeError(gotI.values, wantI.values);
    assert.ok(errI < 1e-4, `input gradient relative error ${errI} for ${label}`);
  }
});

Deno.test("wasm depthwise gradient kernels leave no tensor or buffer behind", async () => {
  await useBackend("wasm");
  const x = tf.randomNormal([2, 8, 8, 3], 0, 1, "float32", 1);
  const dy = tf.randomNormal([2, 4, 4, 6], 0, 1, "float32", 2);
  const w = tf.randomNormal([3, 3, 3, 2], 0, 1, "float32", 3);
  const before = [tf.memory().numTensors, tf.backend().numDataIds()];
  const attrs = { strides: [2, 2], dilations: [1, 1], pad: "same" };
  tf.dispose([
    tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, {
      ...attrs,
      filterShape: w.shape,
    }) as tf.Tensor,
    tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: w }, {
      ...attrs,
      inputShape: x.shape,
    }) as tf.Tensor,
  ]);
  assert.deepEqual([tf.memory().numTensors, tf.backend().numDataIds()], before);
  tf.dispose([x, dy, w]);
});
