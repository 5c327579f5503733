import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends, ensureNative } from "./_compare.ts";
import { fallbackCounts } from "../../../tasks/backends/native/_kernel_utils.ts";
import { nativeKernelNames } from "../../../tasks/backends/native/mod.ts";

Deno.test("concat on native equals the cpu backend on every axis, and its gradient (SplitV) too", async () => {
  const cases: [number[][], number][] = [
    [[[4, 6, 6, 8], [4, 6, 6, 32], [4, 6, 6, 3]], -1], // DenseNet/GoogLeNet: NHWC channels
    [[[2, 5, 3], [2, 1, 3]], 1],
    [[[3, 4], [5, 4]], 0],
    [[[7], [1], [9]], 0],
    [[[1, 150, 150, 4], [1, 150, 150, 3]], 3], // above the shim's threading grain
  ];
  for (const [i, [shapes, axis]] of cases.entries()) {
    const inputs = shapes.map((shape, k) => ({ shape, seed: 10 * i + k + 1 }));
    const err = await compareBackends(inputs, (...xs) => {
      const weights = tf.range(1, tf.concat(xs, axis).size + 1).reshape(tf.concat(xs, axis).shape);
      return [
        tf.concat(xs, axis),
        ...tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(ys, axis), weights)))(xs),
      ];
    });
    assert.equal(err, 0, `concat of ${JSON.stringify(shapes)} on axis ${axis}`);
  }
});

Deno.test("split on native equals the cpu backend for sizes, counts and a -1 size", async () => {
  const cases: [number[], number[] | number, number][] = [
    [[4, 5, 5, 40], [8, 32], 3],
    [[6, 9], 3, 1],
    [[10, 2, 3], [3, -1, 2], 0],
  ];
  for (const [i, [shape, sizes, axis]] of cases.entries()) {
    const err = await compareBackends([{ shape, seed: i + 1 }], (x) => tf.split(x, sizes, axis));
    assert.equal(err, 0, `split [${shape}] by ${JSON.stringify(sizes)} on axis ${axis}`);
  }
});

Deno.test("Concat and SplitV run the native kernels, not the cpu ones", async () => {
  await ensureNative();
  await tf.setBackend("native");
  fallbackCounts.clear();
  tf.tidy(() => {
    const parts = tf.split(tf.ones([2, 3, 3, 10]), [4, 6], -1);
    tf.concat(parts, -1).dataSync();
  });
  for (const name of ["Concat", "SplitV"]) {
    assert.ok(nativeKernelNames.includes(name), `${name} is not a native kernel`);
    assert.equal(fallbackCounts.get(name) ?? 0, 0, `${name} fell back to cpu`);
  }
});

Deno.test("clipByValue's gradient on native equals tfjs' ops, bounds and NaN included", async () => {
  const values = [-3, -1, 0, 0.5, 6, 6.5, NaN, 2, -0, 7];
  for (const [lo, hi] of [[0, 6], [-1, 1], [2, 2.5]]) {
    const grad = (x: tf.Tensor) =>
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.clipByValue(v, lo, hi), tf.range(1, 11))))(x);
    await ensureNative();
    await tf.setBackend("native");
    const mine = tf.tidy(() => grad(tf.tensor(values)).dataSync().slice());
    await tf.setBackend("cpu");
    const reference = tf.tidy(() => grad(tf.tensor(values)).dataSync().slice());
    assert.deepEqual(mine, reference, `clip to [${lo}, ${hi}]`);
  }
  const err = await compareBackends([{ shape: [4, 40, 40, 32], seed: 3 }], (x) => {
    const y = tf.mul(x, 8);
    return tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.clipByValue(v, 0, 6))))(y);
  });
  assert.equal(err, 0);
  assert.ok(nativeKernelNames.includes("CnnlabClipGrad"));
});
