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

Deno.test("Add, Sub, Concat, Reshape and Slice save memory-less stubs on native; gradients equal cpu's", async () => {
  await ensureNative();
  assert.ok(shareSavedTensors());
  const grads = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const a = tf.tensor(Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.sin(i)), [2, 3, 4]);
      const b = tf.tensor(Array.from({ length: 4 }, (_, i) => i / 3 - 0.5), [4]);
      const c = tf.tensor(Array.from({ length: 2 * 3 * 2 }, (_, i) => Math.cos(i)), [2, 3, 2]);
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => {
        const s = tf.sub(tf.add(x, y), tf.mul(y, 2)); // broadcasts [4] over [2, 3, 4]
        const joined = tf.concat([s, z], 2); // [2, 3, 6]
        const part = tf.slice(tf.reshape(joined, [6, 6]), [1, 2], [4, 3]);
        return tf.sum(tf.mul(part, part));
      };
      return tf.grads(f)([a, b, c]).map((g) => g.dataSync().slice());
    });
  };
  const native = await grads("native");
  assert.deepEqual(native, await grads("cpu"));

  // What the tape keeps for those kernels: stubs with the inputs' shapes, no values.
  await tf.setBackend("native");
  const backend = tf.backend() as unknown as { isLazyPending(id: object): boolean };
  const engine = tf.engine() as unknown as {
    getTensorsForGradient(k: string, i: tf.NamedTensorMap, o: tf.Tensor[]): tf.Tensor[];
  };
  const a = tf.add(tf.ones([3, 4]), 1), b = tf.add(tf.ones([4]), 2);
  const [sa, sb] = engine.getTensorsForGradient("Add", { a, b }, []);
  assert.deepEqual([sa.shape, sb.shape], [[3, 4], [4]]);
  assert.ok(backend.isLazyPending(sa.dataId) && backend.isLazyPending(sb.dataId));
  assert.throws(() => sa.dataSync(), {
    message:
      "Internal error: the gradient of Add read the values of an input it was expected to read only the shape of; remove Add from shapeOnlyGradients",
  });
  // Multiply's gradient reads values: it keeps the inputs themselves.
  const [ma, mb] = engine.getTensorsForGradient("Multiply", { a, b }, []);
  assert.ok(ma === a && mb === b);
  tf.dispose([a, b, sa, sb]);
});
