import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tasks/backends/mod.ts";
import { randomValues, relativeError, runKernelOn, seededUniform } from "./_compare_kernels.ts";

const next = seededUniform(11);
const t = (shape: number[]) => ({
  shape,
  values: randomValues(shape.reduce((a, b) => a * b, 1), next),
});

async function same(
  kernel: string,
  inputs: Record<string, ReturnType<typeof t>>,
  attrs: Record<string, unknown>,
) {
  const got = await runKernelOn("wasm", kernel, inputs, attrs);
  const want = await runKernelOn("cpu", kernel, inputs, attrs);
  const label = `${kernel} ${JSON.stringify(attrs)}`;
  assert.deepEqual(got.shape, want.shape, label);
  const err = relativeError(got.values, want.values);
  assert.ok(err < 1e-5, `${label}: relative error ${err}`);
}

Deno.test("wasm Tile gives the cpu backend's values for broadcast-like and general repeats", async () => {
  await useBackend("wasm");
  await same("Tile", { x: t([1, 1, 1, 5]) }, { reps: [3, 4, 2, 1] });
  await same("Tile", { x: t([2, 3, 1, 4]) }, { reps: [2, 1, 3, 2] });
  await same("Tile", { x: t([3]) }, { reps: [4] });
  await same("Tile", { x: t([2, 3]) }, { reps: [1, 1] });
});

Deno.test("wasm BatchMatMul and _FusedMatMul with transposed operands match the cpu backend", async () => {
  await useBackend("wasm");
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const a = t(ta ? [2, 7, 5] : [2, 5, 7]);
    const b = t(tb ? [2, 3, 7] : [2, 7, 3]);
    await same("BatchMatMul", { a, b }, { transposeA: ta, transposeB: tb });
    // tf.fused.matMul hands the kernel rank-3 operands.
    const a2 = t(ta ? [1, 9, 4] : [1, 4, 9]);
    const b2 = t(tb ? [1, 6, 9] : [1, 9, 6]);
    await same("_FusedMatMul", { a: a2, b: b2, bias: t([6]) }, {
      transposeA: ta,
      transposeB: tb,
      activation: "relu",
    });
  }
});

Deno.test("wasm MaxPoolGrad routes gradients like the cpu backend (overlapping, same and valid windows)", async () => {
  await useBackend("wasm");
  for (
    const [shape, filterSize, strides, pad] of [
      [[2, 8, 8, 3], 2, 2, "valid"],
      [[2, 9, 7, 3], 2, 2, "valid"], // odd sizes: the last row and column get no gradient
      [[1, 9, 7, 4], 3, 2, "same"],
      [[3, 7, 7, 2], 3, 1, "same"],
      [[2, 14, 14, 5], 3, 2, 1],
    ] as const
  ) {
    const input = t([...shape]);
    const output = await runKernelOn("cpu", "MaxPool", { x: input }, { filterSize, strides, pad });
    const dy = t(output.shape);
    await same("MaxPoolGrad", { dy, input, output }, { filterSize, strides, pad });
  }
  // Ties: the first maximum of each window (row-major) takes the gradient.
  const flat = { shape: [1, 4, 4, 2], values: new Float32Array(32).fill(1) };
  const attrs = { filterSize: 2, strides: 2, pad: "valid" };
  const output = await runKernelOn("cpu", "MaxPool", { x: flat }, attrs);
  await same("MaxPoolGrad", { dy: t(output.shape), input: flat, output }, attrs);
});

Deno.test("wasm Sum over leading axes matches the cpu backend, other axes still work", async () => {
  await useBackend("wasm");
  const x = t([4, 5, 6, 3]);
  await same("Sum", { x }, { axis: [0, 1, 2], keepDims: false });
  await same("Sum", { x }, { axis: [0], keepDims: true });
  await same("Sum", { x }, { axis: [1, 3], keepDims: false });
  await same("Sum", { x }, { axis: [0, 1, 2, 3], keepDims: false });
});

Deno.test("wasm Add, Sub, Multiply and RealDiv with broadcasting match the cpu backend", async () => {
  await useBackend("wasm");
  const positive = (shape: number[]) => {
    const x = t(shape);
    return { shape, values: x.values.map((v) => v + 2) };
  };
  for (
    const [big, small] of [
      [[16, 14, 14, 6], [6]], // large: rows of 64 × 6 values
      [[16, 14, 14, 6], [1, 1, 1, 6]],
      [[16, 8, 8, 64], [64]],
      [[16411, 2], [2]], // large with a prime row count: the backend's kernel
      [[9, 50, 40], [9, 1, 40]], // large, not a channel vector: the backend's kernel
      [[128, 10], [128, 1]], // small outputs: a JS loop
      [[4, 1, 3], [5, 1]],
      [[2, 3], []],
      [[6], [1]],
    ] as number[][][]
  ) {
    for (const kernel of ["Add", "Sub", "Multiply", "RealDiv"]) {
      await same(kernel, { a: t(big), b: positive(small) }, {});
      await same(kernel, { a: positive(small), b: t(big) }, {});
    }
  }
});

Deno.test("wasm broadcasting arithmetic leaves no buffer behind and keeps its inputs", async () => {
  await useBackend("wasm");
  for (const shape of [[16, 14, 14, 6], [4, 7, 7, 6]]) {
    const x = tf.tensor(t(shape).values, shape);
    const b = tf.tensor1d(t([6]).values);
    const ids = tf.backend().numDataIds();
    const y = tf.sub(x, b);
    assert.equal(tf.backend().numDataIds(), ids + 1);
    const [xv, bv, yv] = [x, b, y].map((v) => v.dataSync());
    assert.equal(yv[6 * 5 + 2], Math.fround(xv[6 * 5 + 2] - bv[2]));
    tf.dispose([x, b, y]);
  }
});

Deno.test("wasm Identity shares the buffer: the clone outlives its source, nothing leaks", async () => {
  await useBackend("wasm");
  const ids = tf.backend().numDataIds();
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const y = tf.engine().runKernel("Identity", { x }) as tf.Tensor;
  assert.equal(tf.backend().numDataIds(), ids + 1);
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
  y.dispose();
  assert.equal(tf.backend().numDataIds(), ids);
  const s = tf.tensor1d(["a", "b"], "string");
  const sc = tf.engine().runKernel("Identity", { x: s }) as tf.Tensor;
  assert.deepEqual(sc.dataSync(), ["a", "b"]);
  tf.dispose([s, sc]);
});

Deno.test("wasm Slice and PadV2 match the cpu backend (runs over full and partial axes)", async () => {
  await useBackend("wasm");
  for (
    const [shape, begin, size] of [
      [[4, 6, 6, 5], [0, 1, 1, 0], [4, 4, 4, 5]], // the gradient of a spatial pad
      [[4, 6, 6, 5], [1, 0, 0, 0], [2, 6, 6, 5]], // contiguous
      [[3, 5, 7], [1, 2, 3], [2, 2, 3]],
      [[2, 3, 4, 5, 6], [0, 1, 0, 2, 0], [2, 2, 4, 3, 6]],
      [[9], [2], [5]],
      [[4, 6], [0, 1], [-1, 3]],
      [[3, 4], [1, 0], [0, 4]], // empty
    ] as number[][][]
  ) {
    await same("Slice", { x: t(shape) }, { begin, size });
  }
  for (
    const [shape, paddings, constantValue] of [
      [[3, 7, 7, 1], [[0, 0], [3, 3], [3, 3], [0, 0]], 0], // ResNet's stem padding
      [[2, 5, 5, 6], [[0, 0], [1, 1], [1, 1], [0, 0]], -7.5],
      [[2, 3, 4], [[1, 0], [0, 2], [0, 0]], 1.5],
      [[5], [[2, 3]], 0],
      [[2, 3], [[0, 0], [0, 0]], 0],
    ] as [number[], [number, number][], number][]
  ) {
    await same("PadV2", { x: t(shape) }, { paddings, constantValue });
  }
});
