import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends } from "./_compare.ts";

const tolerance = 1e-5;

const broadcastPairs: [number[], number[]][] = [
  [[4, 5, 6, 7], [4, 5, 6, 7]],
  [[4, 5, 6, 7], []],
  [[], [3, 5]],
  [[4, 5, 6, 7], [7]],
  [[4, 5, 6, 7], [1, 1, 1, 7]],
  [[4, 1, 6, 1], [5, 1, 3]],
  [[2, 3, 1], [1, 3, 4]],
  [[64, 3, 3, 2], [3, 1, 2]],
  // Per-channel operands with few channels, on either side.
  [[8, 5, 5, 6], [6]],
  [[6], [8, 5, 5, 6]],
  [[2, 4, 16], [1, 1, 16]],
  [[3, 7, 5], [1, 1, 5]],
];

const binaries: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ["add", tf.add],
  ["sub", tf.sub],
  ["mul", tf.mul],
  ["div", tf.div],
  ["maximum", tf.maximum],
  ["minimum", tf.minimum],
  ["squaredDifference", tf.squaredDifference],
];

Deno.test("binary element-wise ops broadcast like the cpu backend", async () => {
  for (const [name, op] of binaries) {
    for (const [i, [a, b]] of broadcastPairs.entries()) {
      const err = await compareBackends(
        [{ shape: a, seed: i + 1 }, { shape: b, seed: i + 40 }],
        op,
      );
      assert.ok(err < tolerance, `${name} [${a}] vs [${b}]: relative error ${err}`);
    }
  }
});

// Above the shim's threading thresholds (2^19 elements for streaming rows, 2^17 for strided
// ones): threads split the output mid-row, so each case must still match element for element.
const threadedPairs: [number[], number[]][] = [
  [[600001], [600001]], // one merged row, odd length
  [[3, 5, 200, 201], [3, 5, 200, 201]],
  [[128, 28, 28, 6], [6]], // [rows, C] x [C] with a repeated short operand
  [[701, 1000], [701, 1]],
  [[2, 1, 1001], [300, 1]],
  [[600, 1001], [1001]],
];

Deno.test("binary ops split among threads match the cpu backend exactly", async () => {
  for (const [i, [a, b]] of threadedPairs.entries()) {
    const op = i % 2 === 0 ? tf.mul : tf.sub;
    const err = await compareBackends([{ shape: a, seed: i + 60 }, { shape: b, seed: i + 70 }], op);
    assert.equal(err, 0, `[${a}] vs [${b}]`);
  }
  for (const perm of [[2, 0, 1], [1, 0, 2]]) {
    const err = await compareBackends(
      [{ shape: [60, 101, 100], seed: 80 }],
      (x) => tf.transpose(x, perm),
    );
    assert.equal(err, 0, `transpose ${perm}`);
  }
});

const unaries: [string, (x: tf.Tensor) => tf.Tensor][] = [
  ["relu", tf.relu],
  ["relu6", (x) => tf.relu6(tf.mul(x, 8))],
  ["sigmoid", (x) => tf.sigmoid(tf.mul(x, 10))],
  ["exp", tf.exp],
  ["log", (x) => tf.log(tf.abs(x))],
  ["sqrt", (x) => tf.sqrt(tf.abs(x))],
  ["rsqrt", (x) => tf.rsqrt(tf.add(tf.abs(x), 0.1))],
  ["square", tf.square],
  ["neg", tf.neg],
  ["abs", tf.abs],
  ["tanh", tf.tanh],
  ["step", (x) => tf.step(x, 0.25)],
  ["elu", tf.elu],
  ["reciprocal", (x) => tf.reciprocal(tf.add(tf.abs(x), 0.1))],
  ["leakyRelu", (x) => tf.leakyRelu(x, 0.1)],
  ["clipByValue 0..6", (x) => tf.clipByValue(tf.mul(x, 8), 0, 6)],
  ["clipByValue -0.3..0.5", (x) => tf.clipByValue(x, -0.3, 0.5)],
];

Deno.test("unary element-wise ops match the cpu backend", async () => {
  for (const [name, op] of unaries) {
    const err = await compareBackends([{ shape: [3, 17, 11, 5], seed: 9 }], op);
    assert.ok(err < tolerance, `${name}: relative error ${err}`);
  }
});

Deno.test("clipByValue keeps NaN and the bounds exactly like the cpu backend", async () => {
  const values = [NaN, -Infinity, Infinity, -0.3, 0.5, -0.30000001, 0.50000001, 0, 7];
  const clip = async (backend: string) => {
    await tf.setBackend(backend);
    const t = tf.tensor1d(values);
    const out = tf.clipByValue(t, -0.3, 0.5);
    const data = Array.from(await out.data());
    tf.dispose([t, out]);
    return data;
  };
  await compareBackends([{ shape: [1], seed: 1 }], (x) => x); // registers native
  assert.deepEqual(await clip("native"), await clip("cpu"));
});

Deno.test("addN, tile and transpose match the cpu backend", async () => {
  const specs = [{ shape: [2, 3, 4], seed: 1 }, { shape: [2, 3, 4], seed: 2 }, {
    shape: [2, 3, 4],
    seed: 3,
  }];
  assert.equal(await compareBackends(specs, (a, b, c) => tf.addN([a, b, c])), 0);
  assert.equal(
    await compareBackends([{ shape: [1, 1, 1, 6], seed: 4 }], (x) => tf.tile(x, [2, 3, 3, 1])),
    0,
  );
  assert.equal(
    await compareBackends([{ shape: [2, 3, 1, 5], seed: 5 }], (x) => tf.tile(x, [3, 1, 4, 2])),
    0,
  );
  for (const perm of [[0, 3, 1, 2], [3, 2, 1, 0], [1, 0, 2, 3], [0, 2, 1, 3]]) {
    const err = await compareBackends(
      [{ shape: [2, 3, 4, 5], seed: 6 }],
      (x) => tf.transpose(x, perm),
    );
    assert.equal(err, 0, `transpose ${perm}`);
  }
});

const reduceCases: [number[], number | number[], boolean][] = [
  [[128, 14, 14, 6], [0, 1, 2], false],
  [[8, 7, 7, 16], [1, 2], true],
  [[32, 10], -1, true],
  [[32, 10], 0, false],
  [[5, 6, 7], [0, 1, 2], false],
  [[3, 4, 5, 6], [1], false],
  [[3, 1000, 37], [1], false], // narrow rows summed in 74 lanes, with a partial last piece
  [[4, 700, 63], [0, 1], true],
  [[3, 4, 5, 6], [0, 2], false], // not contiguous: the cpu kernel serves it
];

Deno.test("sum, mean, max and min over axes match the cpu backend", async () => {
  const ops: [string, (x: tf.Tensor, axis: number | number[], keep: boolean) => tf.Tensor][] = [
    ["sum", tf.sum],
    ["mean", tf.mean],
    ["max", tf.max],
    ["min", tf.min],
  ];
  for (const [name, op] of ops) {
    for (const [i, [shape, axis, keep]] of reduceCases.entries()) {
      const contiguous = !(Array.isArray(axis) && axis.join() === "0,2");
      const err = await compareBackends(
        [{ shape, seed: 80 + i }],
        (x) => op(x, axis, keep),
        contiguous ? [] : ["Sum", "Mean", "Max", "Min"],
      );
      assert.ok(err < tolerance, `${name} [${shape}] axis ${axis}: relative error ${err}`);
    }
  }
});

Deno.test("batchNorm matches the cpu backend with per-channel and scalar statistics", async () => {
  const err = await compareBackends(
    [
      { shape: [4, 5, 5, 6], seed: 1 },
      { shape: [6], seed: 2 },
      { shape: [6], seed: 3 },
      { shape: [6], seed: 4 },
      { shape: [6], seed: 5 },
    ],
    (x, mean, variance, offset, scale) =>
      tf.batchNorm(x, mean, tf.abs(variance), offset, scale, 0.001),
  );
  assert.ok(err < tolerance, `per-channel: relative error ${err}`);
  const scalar = await compareBackends(
    [{ shape: [4, 5, 5, 6], seed: 1 }, { shape: [1], seed: 2 }, { shape: [1], seed: 3 }],
    (x, mean, variance) => tf.batchNorm(x, mean, tf.abs(variance)),
  );
  assert.ok(scalar < tolerance, `scalar: relative error ${scalar}`);
});

Deno.test("float32 tensors cast from bool or int32 are read as numbers, not raw bytes", async () => {
  const err = await compareBackends([{ shape: [16, 10], seed: 12 }], (x) => {
    const asBool = tf.cast(tf.greater(x, 0), "float32"); // cpu Cast only relabels the Uint8Array
    const asInt = tf.cast(tf.cast(tf.mul(x, 10), "int32"), "float32");
    return [tf.sum(asBool, 1), tf.add(asInt, asBool), tf.mul(asInt, x), tf.relu(asInt)];
  });
  assert.equal(err, 0);
});
