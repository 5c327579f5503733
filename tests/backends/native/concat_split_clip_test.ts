import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends, ensureNative, randomArray } from "./_compare.ts";
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

Deno.test("Mean's gradient on native equals tfjs' (ones and two full-size passes) bit for bit", async () => {
  await ensureNative();
  const shapes: [number[], number | number[], boolean][] = [
    [[4, 6, 6, 16], [1, 2], false], // global average pool
    [[4, 6, 6, 16], [1, 2], true],
    [[3, 5, 7], 0, false],
    [[3, 5, 7], [0, 2], true],
    [[2, 3], -1, false],
  ];
  for (const [shape, axis, keepDims] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = randomArray(size, 11);
    values[3] = NaN;
    const weights = (s: number[]) => tf.tensor(randomArray(s.reduce((a, b) => a * b, 1), 12), s);
    const grad = () =>
      tf.tidy(() => {
        const x = tf.tensor(values, shape);
        const w = weights(tf.mean(x, axis, keepDims).shape);
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mean(v, axis, keepDims), w)))(x)
          .dataSync().slice();
      });
    await tf.setBackend("native");
    const mine = grad();
    // The installed gradient runs: a Tile of the divided dy, no full-size Multiply by ones.
    const kernels = (await tf.profile(grad)).kernels;
    const fullSize = (k: (typeof kernels)[number]) =>
      k.outputShapes.some((s) => s.reduce((a: number, b: number) => a * b, 1) === size);
    assert.ok(kernels.some((k) => k.name === "Tile"), `${kernels.map((k) => k.name)}`);
    assert.ok(!kernels.some((k) => k.name === "Multiply" && fullSize(k)), "a full-size Multiply");
    await tf.setBackend("cpu");
    assert.deepEqual(mine, grad(), `mean over ${axis} of [${shape}]`);
  }
});
