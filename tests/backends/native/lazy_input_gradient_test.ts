import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { NativeBackend } from "../../../tasks/backends/native/mod.ts";
import { compareBackends, ensureNative, randomArray } from "./_compare.ts";

async function nativeBackend(): Promise<NativeBackend> {
  await ensureNative();
  await tf.setBackend("native");
  return tf.backend() as NativeBackend;
}

Deno.test("the input gradient of a first layer nobody reads is never computed", async () => {
  const backend = await nativeBackend();
  const x = tf.tensor(randomArray(2 * 8 * 8 * 1, 1), [2, 8, 8, 1]);
  const w = tf.variable(tf.tensor(randomArray(3 * 3 * 1 * 4, 2), [3, 3, 1, 4]));
  const before = backend.lazyStats();
  // A linear fused conv (what tfjs-layers runs under a separate activation or batch norm) stays
  // fused while taping, and its custom gradient computes dx as well as dw.
  const { value, grads } = tf.variableGrads(() =>
    tf.sum(tf.square(tf.fused.conv2d({
      x: x as tf.Tensor4D,
      filter: w as tf.Tensor4D,
      strides: 1,
      pad: "same",
      bias: tf.ones([4]),
      activation: "linear",
    })))
  );
  assert.ok(grads[w.name].dataSync().some((g) => g !== 0));
  const after = backend.lazyStats();
  assert.equal(after.created - before.created, 1);
  assert.equal(after.computed - before.computed, 0);
  tf.dispose([x, w, value, ...Object.values(grads)]);
});

Deno.test("a lazy result read after its inputs were disposed equals the cpu backend's", async () => {
  const backend = await nativeBackend();
  const dataIds = backend.numDataIds();
  const lazy = tf.tidy(() => {
    const dy = tf.tensor(randomArray(2 * 5 * 5 * 6, 3), [2, 5, 5, 6]);
    const w = tf.tensor(randomArray(3 * 3 * 4 * 6, 4), [3, 3, 4, 6]);
    return tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 9, 9, 4], 2, "same");
  });
  // Reuse freed buffers in between, as a training step would.
  for (let i = 0; i < 3; i++) tf.tidy(() => tf.mul(tf.ones([2, 5, 5, 6]), i).dataSync());
  const values = lazy.dataSync();
  const err = await compareBackends(
    [{ shape: [2, 5, 5, 6], seed: 3 }, { shape: [3, 3, 4, 6], seed: 4 }],
    (dy, w) => tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 9, 9, 4], 2, "same"),
  );
  assert.ok(err < 1e-4);
  const reference = await compareOne();
  assert.deepEqual(values, reference);
  lazy.dispose();
  assert.equal(backend.numDataIds(), dataIds);
});

// The same transposed convolution computed eagerly (read at once) on native.
async function compareOne(): Promise<Float32Array> {
  await tf.setBackend("native");
  return tf.tidy(() => {
    const dy = tf.tensor(randomArray(2 * 5 * 5 * 6, 3), [2, 5, 5, 6]);
    const w = tf.tensor(randomArray(3 * 3 * 4 * 6, 4), [3, 3, 4, 6]);
    return Float32Array.from(
      tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 9, 9, 4], 2, "same").dataSync(),
    );
  });
}

Deno.test("disposing an unread lazy result releases the inputs it held", async () => {
  const backend = await nativeBackend();
  const dataIds = backend.numDataIds();
  const dy = tf.tensor(randomArray(1 * 4 * 4 * 2, 5), [1, 4, 4, 2]);
  const w = tf.tensor(randomArray(2 * 2 * 3 * 2, 6), [2, 2, 3, 2]);
  const lazy = tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [1, 4, 4, 3], 1, "same");
  tf.dispose([dy, w]);
  assert.equal(backend.numDataIds(), dataIds + 3); // dy and w live on for the lazy result
  lazy.dispose();
  assert.equal(backend.numDataIds(), dataIds);
});

Deno.test("ReLU's gradient multiplies by step(x) without ever computing step(x)", async () => {
  const backend = await nativeBackend();
  const before = backend.lazyStats();
  const err = await compareBackends(
    [{ shape: [3, 7, 7, 5], seed: 8 }],
    (x) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), tf.cos(a))))(x),
  );
  assert.equal(err, 0);
  const after = backend.lazyStats();
  assert.ok(after.created > before.created);
  assert.equal(after.computed, before.computed);
  // Read directly, a lazy step still gives its values.
  await tf.setBackend("native");
  assert.deepEqual(
    Array.from(tf.step(tf.tensor([-2, 0, 3, NaN])).dataSync()),
    [0, 0, 1, NaN],
  );
});
