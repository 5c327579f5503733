import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { shareSavedTensors } from "../../tasks/backends/share_saved_tensors.ts";
import { ensureNative } from "./native/_compare.ts";

// A small model step: conv, relu, pooling, dense, softmax cross-entropy; gradients of 3 weights.
function step(): { loss: tf.Tensor; grads: tf.Tensor[] } {
  return tf.tidy(() => {
    const x = tf.randomNormal([4, 8, 8, 2], 0, 1, "float32", 1);
    const w = [
      tf.randomNormal([3, 3, 2, 4], 0, 0.3, "float32", 2),
      tf.randomNormal([4], 0, 0.3, "float32", 3),
      tf.randomNormal([64, 3], 0, 0.3, "float32", 4),
    ];
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 1], "int32"), 3);
    const f = (k: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => {
      const h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, "same"), b));
      const p = tf.maxPool(h as tf.Tensor4D, 2, 2, "valid");
      const logits = tf.matMul(tf.reshape(p, [4, 64]), d);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)(w);
    return { loss: value, grads };
  });
}

async function stepOn(backend: string) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  let result: { loss: Float32Array; grads: Float32Array[] } | undefined;
  const profile = await tf.profile(async () => {
    const { loss, grads } = step();
    result = {
      loss: (await loss.data()) as Float32Array,
      grads: await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>)),
    };
    tf.dispose([loss, ...grads]);
  });
  assert.equal(tf.memory().numTensors, before, `${backend}: the step leaves no tensors behind`);
  const identities = profile.kernels.filter((k) => k.name === "Identity").length;
  return { ...result!, identities };
}

Deno.test("gradients keep their saved tensors by reference, with identical results", async () => {
  await ensureNative();
  const reference = { cpu: await stepOn("cpu"), native: await stepOn("native") };
  // 13 clones of saved inputs/outputs, plus 2 Identity kernels that tf.losses runs itself.
  for (const r of Object.values(reference)) assert.equal(r.identities, 15);
  assert.equal(shareSavedTensors(), true);
  assert.equal(shareSavedTensors(), true, "installing twice is harmless");
  for (const backend of ["cpu", "native"] as const) {
    const shared = await stepOn(backend);
    assert.equal(shared.identities, 2, backend);
    assert.deepEqual(shared.loss, reference[backend].loss);
    shared.grads.forEach((g, i) => assert.deepEqual(g, reference[backend].grads[i]));
  }
});

Deno.test("second derivatives still flow through saved tensors", async () => {
  shareSavedTensors();
  await tf.setBackend("cpu");
  // d²/dx² Σ x³ = 6x: Multiply's gradient reads its saved inputs, and the second derivative
  // flows back through them.
  const x = tf.tensor1d([-2, -0.5, 0, 0.7, 3]);
  const second = tf.grad((v: tf.Tensor) =>
    tf.sum(tf.grad((u: tf.Tensor) => tf.sum(tf.mul(u, tf.mul(u, u))))(v))
  )(x);
  const got = Array.from(await second.data());
  [-2, -0.5, 0, 0.7, 3].forEach((v, i) => {
    assert.ok(Math.abs(got[i] - 6 * v) < 1e-5, `x=${v}: ${got[i]} vs ${6 * v}`);
  });
  tf.dispose([x, second]);
});
