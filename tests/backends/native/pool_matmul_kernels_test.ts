import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends, ensureNative } from "./_compare.ts";

const tolerance = 1e-4;

type Pad = "same" | "valid" | number;

const poolCases: { shape: number[]; size: [number, number]; stride: number; pad: Pad }[] = [
  { shape: [1, 28, 28, 6], size: [2, 2], stride: 2, pad: "valid" },
  { shape: [3, 7, 9, 4], size: [3, 3], stride: 2, pad: "same" },
  { shape: [2, 14, 14, 8], size: [3, 3], stride: 2, pad: 1 },
  { shape: [2, 5, 6, 3], size: [2, 3], stride: 1, pad: "valid" },
  { shape: [4, 9, 9, 2], size: [3, 2], stride: 2, pad: "valid" },
];

Deno.test("maxPool and avgPool forward and gradients match the cpu backend", async () => {
  for (const [i, c] of poolCases.entries()) {
    for (const kind of ["max", "avg"] as const) {
      // tfjs-backend-cpu's AvgPoolGrad divides by the full window even where the forward pass
      // divided by the cells inside the input; native follows the forward pass (as TensorFlow
      // does), so padded average pool gradients are checked against exact values below.
      const withGrad = kind === "max" || c.pad === "valid";
      const pool = (x: tf.Tensor) =>
        (kind === "max" ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, c.size, c.stride, c.pad);
      const err = await compareBackends([{ shape: c.shape, seed: 30 + i }], (x) => {
        const weighted = (a: tf.Tensor) => {
          const y = pool(a);
          return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
        };
        return withGrad ? [pool(x), tf.grad(weighted)(x)] : [pool(x)];
      });
      assert.ok(err < tolerance, `${kind} ${JSON.stringify(c)}: relative error ${err}`);
    }
  }
});

Deno.test("maxPool gradient goes to the first maximum of a window, as on cpu", async () => {
  // Rounded inputs make ties common; dy must land on the same cell of each tied window.
  const err = await compareBackends(
    [{ shape: [3, 9, 9, 4], seed: 44 }],
    (x) =>
      tf.grad((a: tf.Tensor) => {
        const y = tf.maxPool(a as tf.Tensor4D, 3, 2, "same");
        return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
      })(tf.round(x)),
  );
  // A misplaced tie would be off by a whole dy (error ~1); overlapping windows may only add
  // their contributions in another order.
  assert.ok(err < 1e-6, `relative error ${err}`);
});

Deno.test("maxPool ignores NaN inputs as the cpu backend does", async () => {
  const err = await compareBackends([{ shape: [2, 6, 6, 3], seed: 45 }], (x) => {
    const withNaN = tf.where(tf.greater(x, 0.6), tf.fill(x.shape, NaN), x);
    return tf.maxPool(withNaN as tf.Tensor4D, 2, 2, "valid");
  });
  assert.equal(err, 0);
});

Deno.test("avgPool gradient divides by the cells each padded window covers", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const dx = tf.tidy(() =>
    tf.grad((x: tf.Tensor) => tf.sum(tf.avgPool(x as tf.Tensor4D, 3, 1, "same")))(
      tf.zeros([1, 3, 3, 1]),
    ).dataSync()
  );
  // Windows of output row r cover 2, 3, 2 input rows, so cell (i, j) receives
  // (sum over its rows' windows of 1/rows) * (same for columns): 5/6 at the border, 4/3 inside.
  const expected = [25 / 36, 10 / 9, 25 / 36, 10 / 9, 16 / 9, 10 / 9, 25 / 36, 10 / 9, 25 / 36];
  expected.forEach((e, i) => assert.ok(Math.abs(dx[i] - e) < 1e-6, `cell ${i}: ${dx[i]} vs ${e}`));
});

const matMulCases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
  { a: [128, 400], b: [400, 120], ta: false, tb: false },
  { a: [37, 19], b: [23, 19], ta: false, tb: true },
  { a: [19, 37], b: [19, 23], ta: true, tb: false },
  { a: [5, 8], b: [11, 5], ta: true, tb: true },
  { a: [3, 4, 6], b: [3, 6, 5], ta: false, tb: false },
  { a: [1, 4, 6], b: [7, 6, 2], ta: false, tb: false },
  { a: [2, 3, 4, 6], b: [6, 5], ta: false, tb: false },
];

Deno.test("matMul matches the cpu backend with transposes and batch broadcasting", async () => {
  for (const [i, c] of matMulCases.entries()) {
    const err = await compareBackends(
      [{ shape: c.a, seed: 60 + i }, { shape: c.b, seed: 70 + i }],
      (a, b) => tf.matMul(a, b, c.ta, c.tb),
    );
    assert.ok(err < tolerance, `${JSON.stringify(c)}: relative error ${err}`);
  }
});

Deno.test("fused matMul with bias and activations, and its gradients, match the cpu backend", async () => {
  for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"] as const) {
    const err = await compareBackends(
      [{ shape: [9, 13], seed: 1 }, { shape: [13, 7], seed: 2 }, { shape: [7], seed: 3 }],
      (a, b, bias) =>
        tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation }),
    );
    assert.ok(err < tolerance, `${activation}: relative error ${err}`);
  }
  const grads = await compareBackends(
    [{ shape: [9, 13], seed: 1 }, { shape: [13, 7], seed: 2 }, { shape: [7], seed: 3 }],
    (a, b, bias) =>
      tf.grads((x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.matMul({
          a: x as tf.Tensor2D,
          b: w as tf.Tensor2D,
          bias: c,
          activation: "relu",
        })))
      )([a, b, bias]),
  );
  assert.ok(grads < tolerance, `gradients: relative error ${grads}`);
});
