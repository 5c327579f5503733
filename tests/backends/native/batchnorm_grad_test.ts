import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends, ensureNative, randomArray } from "./_compare.ts";

// Gradients of a weighted sum of batchNorm(x, mean, variance, offset, scale) w.r.t. all inputs.
function batchNormGrads(
  x: tf.Tensor,
  mean: tf.Tensor,
  v: tf.Tensor,
  offset: tf.Tensor,
  scale: tf.Tensor,
): tf.Tensor[] {
  const variance = tf.add(tf.abs(v), 0.5);
  return tf.grads((a: tf.Tensor, m: tf.Tensor, s2: tf.Tensor, o: tf.Tensor, g: tf.Tensor) => {
    const y = tf.batchNorm(a, m, s2, o, g, 0.001);
    return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
  })([x, mean, variance, offset, scale]);
}

const specs = [
  { shape: [4, 5, 5, 6], seed: 1 },
  { shape: [6], seed: 2 },
  { shape: [6], seed: 3 },
  { shape: [6], seed: 4 },
  { shape: [6], seed: 5 },
];

Deno.test("the native batch-norm gradient matches tfjs' on the cpu backend", async () => {
  // (Without a scale, tfjs 4.22 cannot tape batchNorm on any backend: it saves the missing
  // `scale` input for the gradient and fails, so there is no unscaled case to compare.)
  const err = await compareBackends(specs, batchNormGrads);
  assert.ok(err < 1e-4, `[4, 5, 5, 6] input: relative error ${err}`);
  const rank2 = await compareBackends(
    [{ shape: [32, 6], seed: 6 }, ...specs.slice(1)],
    batchNormGrads,
  );
  assert.ok(rank2 < 1e-4, `[32, 6] input: relative error ${rank2}`);
});

Deno.test("the native batch-norm gradient runs one kernel on native and tfjs' ops elsewhere", async () => {
  await ensureNative();
  const kernelsOn = async (backend: string) => {
    await tf.setBackend(backend);
    const profile = await tf.profile(() => {
      const xs = specs.map((s) =>
        tf.tensor(randomArray(s.shape.reduce((a, b) => a * b), s.seed), s.shape)
      );
      tf.dispose(batchNormGrads(xs[0], xs[1], xs[2], xs[3], xs[4]));
      tf.dispose(xs);
    });
    return profile.kernelNames;
  };
  assert.ok((await kernelsOn("native")).includes("CnnlabBatchNormGrad"));
  assert.ok(!(await kernelsOn("cpu")).includes("CnnlabBatchNormGrad"));
});
