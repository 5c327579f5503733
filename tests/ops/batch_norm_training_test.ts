import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { batchNormTraining } from "../../tasks/ops/batch_norm_training.ts";
import { BatchNorm } from "../../tasks/models/batch_norm_layer.ts";
import { compareBackends, randomArray, relativeError } from "../backends/native/_compare.ts";

const options = { epsilon: 1e-5, momentum: 0.1 };

// A loss that weighs every output differently, so each gradient entry is exercised.
function weighted(y: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
}

// The op's outputs and its gradients in x, scale and offset.
function opAndGrads(x: tf.Tensor, s: tf.Tensor, o: tf.Tensor, mm: tf.Tensor, mv: tf.Tensor) {
  const scale = tf.add(s, 1.5) as tf.Tensor1D;
  const moving = tf.add(tf.abs(mv), 0.5) as tf.Tensor1D;
  const r = batchNormTraining(x, scale, o as tf.Tensor1D, mm as tf.Tensor1D, moving, options);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
    const t = batchNormTraining(
      a,
      b as tf.Tensor1D,
      c as tf.Tensor1D,
      mm as tf.Tensor1D,
      moving,
      options,
    );
    tf.dispose([t.movingMean, t.movingVariance]);
    return weighted(t.y);
  })([x, scale, o]);
  return [r.y, r.movingMean, r.movingVariance, ...grads];
}

// The same through tfjs' own ops and autodiff (what tfjs-layers' BatchNormalization does).
function referenceAndGrads(x: tf.Tensor, s: tf.Tensor, o: tf.Tensor, mm: tf.Tensor, mv: tf.Tensor) {
  const scale = tf.add(s, 1.5);
  const moving = tf.add(tf.abs(mv), 0.5);
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const n = x.size / x.shape[x.shape.length - 1];
  const forward = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
    const { mean, variance } = tf.moments(a, axes);
    return { y: tf.batchNorm(a, mean, variance, c, b, options.epsilon), mean, variance };
  };
  const { y, mean, variance } = forward(x, scale, o);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    weighted(forward(a, b, c).y)
  )(
    [x, scale, o],
  );
  return [
    y,
    tf.add(tf.mul(mm, 0.9), tf.mul(mean, 0.1)),
    tf.add(tf.mul(moving, 0.9), tf.mul(variance, 0.1 * n / (n - 1))),
    ...grads,
  ];
}

async function valuesOf(ts: tf.Tensor[]): Promise<Float32Array[]> {
  const out = await Promise.all(ts.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(ts);
  return out;
}

const shapes = [[4, 5, 5, 6], [32, 3], [2, 7, 3, 1], [1, 3, 3, 4]];

function inputs(shape: number[], seed: number): tf.Tensor[] {
  const c = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  // An offset mean, so the statistics are not trivially 0 and 1.
  const x = tf.add(tf.tensor(randomArray(size, seed), shape), 3);
  return [x, ...[1, 2, 3, 4].map((k) => tf.tensor1d(randomArray(c, seed + k)))];
}

Deno.test("batchNormTraining's composed form equals tfjs' moments + batchNorm and their autodiff", async () => {
  await tf.setBackend("cpu");
  for (const [i, shape] of shapes.entries()) {
    const xs = inputs(shape, 10 * i + 1);
    const ours = await valuesOf(
      opAndGrads(...(xs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
    );
    const ref = await valuesOf(
      referenceAndGrads(...(xs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
    );
    tf.dispose(xs);
    const names = ["y", "moving mean", "moving variance", "dx", "dscale", "doffset"];
    ours.forEach((v, k) => {
      const err = relativeError(v, ref[k]);
      assert.ok(err < 1e-4, `[${shape}] ${names[k]}: relative error ${err}`);
    });
  }
});

Deno.test("batchNormTraining on native (one kernel per direction) matches the cpu backend", async () => {
  for (const [i, shape] of shapes.entries()) {
    const c = shape[shape.length - 1];
    const err = await compareBackends(
      [{ shape, seed: 10 * i + 1 }, ...[2, 3, 4, 5].map((seed) => ({ shape: [c], seed }))],
      (x, s, o, mm, mv) => opAndGrads(tf.add(x, 3), s, o, mm, mv),
    );
    assert.ok(err < 1e-4, `[${shape}]: relative error ${err}`);
  }
  await tf.setBackend("native");
  const profile = await tf.profile(() => {
    const xs = inputs([4, 5, 5, 6], 1);
    tf.dispose([
      ...opAndGrads(...(xs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
      ...xs,
    ]);
  });
  assert.ok(profile.kernelNames.includes("CnnlabBatchNormTraining"), profile.kernelNames.join());
  assert.ok(
    profile.kernelNames.includes("CnnlabBatchNormTrainingGrad"),
    profile.kernelNames.join(),
  );
  assert.ok(!profile.kernelNames.includes("Mean"), `no moments on native: ${profile.kernelNames}`);
});

for (const backend of ["cpu", "native"]) {
  Deno.test(`BatchNorm keeps PyTorch's running statistics and normalizes with them at inference (${backend})`, async () => {
    await tf.setBackend(backend);
    const layer = new BatchNorm({ name: "bn" });
    // One channel, values 1..4: mean 2.5, biased variance 1.25, unbiased 5/3.
    const x = tf.tensor4d([1, 2, 3, 4], [4, 1, 1, 1]);
    layer.build(x.shape); // creates the four weights, so the count below sees only the call
    const before = tf.memory().numTensors;
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const [mean, variance] = layer.getWeights().slice(2).map((w) => w.dataSync()[0]);
    assert.ok(Math.abs(mean - 0.25) < 1e-6, `moving mean ${mean}`);
    assert.ok(Math.abs(variance - (0.9 + 0.1 * 5 / 3)) < 1e-6, `moving variance ${variance}`);
    const expected = [1, 2, 3, 4].map((v) => (v - 2.5) / Math.sqrt(1.25 + 1e-5));
    assert.ok(relativeError(y.dataSync() as Float32Array, Float32Array.from(expected)) < 1e-5);
    y.dispose();
    assert.equal(tf.memory().numTensors, before, "a training call leaks no tensors");
    const inference = layer.apply(tf.tensor4d([0.25], [1, 1, 1, 1]), {
      training: false,
    }) as tf.Tensor;
    assert.ok(
      Math.abs(inference.dataSync()[0]) < 1e-6,
      "inference normalizes with the moving mean",
    );
    tf.dispose([x, inference]);
    for (const w of layer.weights) w.dispose();
  });
}
