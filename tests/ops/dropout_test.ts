import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import {
  DROPOUT,
  dropout,
  dropoutAttrs,
  dropoutBits,
  dropoutMultipliers,
} from "../../tasks/ops/dropout.ts";
import { Dropout } from "../../tasks/models/dropout_layer.ts";
import { nativeKernelNames } from "../../tasks/backends/native/mod.ts";
import { installSeededMathRandom } from "../../tasks/train/seeded_math_random.ts";
import { ensureNative, randomArray } from "../backends/native/_compare.ts";

Deno.test("the dropout mask keeps 1 − rate of the values, independently per seed", () => {
  const n = 1 << 20;
  for (const rate of [0.1, 0.5, 0.9]) {
    const attrs = dropoutAttrs(rate, 12345);
    const a = dropoutMultipliers(n, attrs);
    const b = dropoutMultipliers(n, dropoutAttrs(rate, 12346));
    const scale = Math.fround(1 / Math.fround(1 - rate));
    let kept = 0, agree = 0, runs = 0;
    for (let i = 0; i < n; i++) {
      assert.ok(a[i] === 0 || a[i] === scale, `multiplier ${a[i]} at ${i}`);
      if (a[i] !== 0) kept++;
      if ((a[i] !== 0) === (b[i] !== 0)) agree++;
      if (i > 0 && (a[i] !== 0) === (a[i - 1] !== 0)) runs++;
    }
    const p = 1 - rate;
    const sigma = Math.sqrt(n * p * (1 - p));
    // Within 5 standard deviations of the binomial mean; neighbouring seeds and neighbouring
    // values agree as often as independent draws would (p² + (1 − p)²).
    assert.ok(Math.abs(kept - n * p) < 5 * sigma, `rate ${rate}: kept ${kept} of ${n}`);
    const same = p * p + (1 - p) * (1 - p);
    const sameSigma = Math.sqrt(n * same * (1 - same));
    assert.ok(Math.abs(agree - n * same) < 5 * sameSigma, `rate ${rate}: seeds agree ${agree}`);
    assert.ok(Math.abs(runs - n * same) < 5 * sameSigma, `rate ${rate}: neighbours agree ${runs}`);
  }
  // The bits are the multipliers' definition, element by element.
  const attrs = dropoutAttrs(0.3, -7);
  const m = dropoutMultipliers(1000, attrs);
  for (let i = 0; i < 1000; i++) {
    assert.equal(m[i] !== 0, dropoutBits(attrs.seed, i) >= attrs.threshold);
  }
  assert.equal(dropoutAttrs(0.3, 2 ** 32 - 7).seed, -7, "seeds are taken modulo 2^32");
  assert.throws(() => dropoutAttrs(1, 0), { message: "dropout rate must be in [0, 1), got 1" });
  assert.throws(() => dropoutAttrs(-0.1, 0), {
    message: "dropout rate must be in [0, 1), got -0.1",
  });
});

/** Forward values and the gradient of sum(dropout(x) · w) on the current backend. */
function forwardAndGrad(x: tf.Tensor, w: tf.Tensor, rate: number, seed: number) {
  return tf.tidy(() => {
    const y = dropout(x, rate, seed);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(dropout(v, rate, seed), w)))(x);
    return [y.dataSync().slice() as Float32Array, g.dataSync().slice() as Float32Array];
  });
}

Deno.test("dropout multiplies by the mask forward and the same mask backward, equal on native and cpu", async () => {
  await ensureNative();
  assert.ok(nativeKernelNames.includes(DROPOUT));
  // Sizes below and above the kernel's thread split, and one not a multiple of its blocks.
  for (const [shape, rate, seed] of [[[3, 5, 7], 0.5, 1], [[8, 64, 64, 40], 0.1, 99]] as const) {
    const size = shape.reduce((a: number, b: number) => a * b, 1);
    const xv = randomArray(size, 5), wv = randomArray(size, 6);
    xv[0] = NaN;
    xv[1] = Infinity;
    const mask = dropoutMultipliers(size, dropoutAttrs(rate, seed));
    const results: Record<string, Float32Array[]> = {};
    for (const backend of ["cpu", "native"]) {
      await tf.setBackend(backend);
      const x = tf.tensor(xv, [...shape]), w = tf.tensor(wv, [...shape]);
      results[backend] = forwardAndGrad(x, w, rate, seed);
      tf.dispose([x, w]);
    }
    const [y, g] = results.cpu;
    for (let i = 0; i < size; i++) {
      assert.ok(Object.is(y[i], Math.fround(xv[i] * mask[i])), `y[${i}]`);
      assert.ok(Object.is(g[i], Math.fround(wv[i] * mask[i])), `dx[${i}]`);
    }
    // Bit for bit: NaN and Infinity times a dropped 0 stay NaN on both.
    assert.deepEqual(results.native[0], y);
    assert.deepEqual(results.native[1], g);
  }
  await tf.setBackend("cpu");
  assert.throws(() => dropout(tf.tensor([1, 2], [2], "int32"), 0.5, 1), {
    message: "dropout needs float32 values, got int32",
  });
  const x = tf.tensor([1, 2, 3]);
  assert.equal(dropout(x, 0, 1), x, "rate 0 is the identity");
  x.dispose();
});

Deno.test("the Dropout layer is the identity in inference and repeats under a seeded Math.random", async () => {
  await tf.setBackend("cpu");
  const layer = new Dropout({ name: "d", rate: 0.4 });
  const x = tf.ones([4, 6, 6, 3]);
  const inference = layer.apply(x, { training: false }) as tf.Tensor;
  assert.deepEqual(inference.dataSync(), x.dataSync());
  inference.dispose();
  const draw = (seed: number) => {
    const random = installSeededMathRandom(seed);
    try {
      return (layer.apply(x, { training: true }) as tf.Tensor).dataSync().slice();
    } finally {
      random.restore();
    }
  };
  const a = draw(3), b = draw(3), c = draw(4);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const scale = Math.fround(1 / Math.fround(0.6));
  const kept = a.filter((v) => v === scale).length;
  assert.equal(kept + a.filter((v) => v === 0).length, a.length);
  assert.ok(kept > 0.4 * a.length && kept < 0.8 * a.length, `kept ${kept} of ${a.length}`);
  assert.deepEqual(layer.getConfig().rate, 0.4);
  assert.equal(Dropout.className, "CnnlabDropout");
  assert.throws(() => new Dropout({ name: "bad", rate: 1 }), {
    message: "Dropout 'bad' needs a rate in [0, 1), got 1",
  });
  x.dispose();
});
