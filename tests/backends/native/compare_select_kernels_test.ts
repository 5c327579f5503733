import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareSelectKernels } from "../../../tasks/backends/native/_compare_select_kernels.ts";
import { fallbackCounts } from "../../../tasks/backends/native/_kernel_utils.ts";
import { nativeKernelNames } from "../../../tasks/backends/native/mod.ts";
import { ensureNative, runOn } from "./_compare.ts";

const shapes: [number[], number[]][] = [
  [[4, 5, 6, 7], [4, 5, 6, 7]],
  [[4, 5, 6, 7], []],
  [[], [3, 5]],
  [[2, 3], [1]],
  // Real broadcasts: comparisons run row by row (Select hands them to the cpu kernel).
  [[4, 1, 6], [5, 1]],
  [[64, 10], [64, 1]], // the hit count's scores against the target's score
  [[3, 4, 5], [4, 1]],
  [[5], [2, 3, 1]],
];

// Values rounded to tenths so that ties (x == y) occur and the boundary cases are compared.
const rounded = (x: tf.Tensor) => tf.div(tf.round(tf.mul(x, 10)), 10);

const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ["lessEqual", (a, b) => tf.cast(tf.lessEqual(rounded(a), rounded(b)), "float32")],
  ["greaterEqual", (a, b) => tf.cast(tf.greaterEqual(rounded(a), rounded(b)), "float32")],
  ["less", (a, b) => tf.cast(tf.less(rounded(a), rounded(b)), "float32")],
  ["greater", (a, b) => tf.cast(tf.greater(rounded(a), rounded(b)), "float32")],
  ["logicalAnd", (a, b) => tf.cast(tf.logicalAnd(tf.greater(a, 0), tf.greater(b, 0)), "float32")],
  ["where", (a, b) => tf.where(tf.greater(tf.add(a, tf.zerosLike(b)), 0), a, tf.add(b, a))],
];

Deno.test("comparisons, logicalAnd and where on native equal the cpu backend", async () => {
  await ensureNative();
  for (const [name, op] of ops) {
    for (const [i, [a, b]] of shapes.entries()) {
      const inputs = [{ shape: a, seed: i + 1 }, { shape: b, seed: i + 50 }];
      const [mine] = await runOn("native", inputs, op);
      const [reference] = await runOn("cpu", inputs, op);
      assert.deepEqual(mine.shape, reference.shape, `${name} [${a}] vs [${b}]`);
      assert.deepEqual(mine.values, reference.values, `${name} [${a}] vs [${b}]`);
    }
  }
});

Deno.test("the ReLU6 gradient on native runs in the tight loops, not the cpu kernels", async () => {
  await ensureNative();
  await tf.setBackend("native");
  fallbackCounts.clear();
  const input = Float32Array.from({ length: 4096 }, (_, i) => (i % 97) / 8 - 2);
  const relu6Grad = (t: tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(tf.relu6(v)))(t);
  const mine = tf.tidy(() => relu6Grad(tf.tensor(input)).dataSync().slice());
  await tf.setBackend("cpu");
  const reference = tf.tidy(() => relu6Grad(tf.tensor(input)).dataSync().slice());
  assert.deepEqual(mine, reference);
  assert.ok(mine.some((v) => v === 0) && mine.some((v) => v === 1), "both regions are exercised");
  for (const name of ["LessEqual", "GreaterEqual", "LogicalAnd", "Select"]) {
    const ours = compareSelectKernels.find((k) => k.kernelName === name)?.kernelFunc;
    assert.equal(tf.getKernel(name, "native")?.kernelFunc, ours, `${name} is not the native loop`);
    assert.equal(fallbackCounts.get(name) ?? 0, 0, `${name} fell back to cpu`);
    assert.ok(nativeKernelNames.includes(name), `${name} missing from nativeKernelNames`);
  }
});

Deno.test("broadcast comparisons run row by row on native, not in the cpu kernel", async () => {
  await ensureNative();
  await tf.setBackend("native");
  fallbackCounts.clear();
  const scores = tf.tensor(Array.from({ length: 40 }, (_, i) => (i * 7) % 11), [4, 10]);
  const target = tf.tensor([[3], [5], [0], [10]]);
  const above = tf.greater(scores, target);
  assert.deepEqual(
    Array.from(await tf.sum(tf.cast(above, "int32"), 1).data()),
    [0, 1, 2, 3].map((r) =>
      Array.from({ length: 10 }, (_, j) => (r * 10 + j) * 7 % 11).filter((v) =>
        v > [3, 5, 0, 10][r]
      ).length
    ),
  );
  assert.equal(fallbackCounts.get("Greater") ?? 0, 0, "Greater fell back to cpu");
  tf.dispose([scores, target, above]);
});
