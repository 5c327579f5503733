import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tasks/backends/mod.ts";
import { batchNormTraining } from "../../tasks/ops/batch_norm_training.ts";
import { randomValues, relativeError, seededUniform } from "./_compare_kernels.ts";

const options = { epsilon: 1e-5, momentum: 0.1 };

interface Case {
  shape: number[];
  /** Added to x, so the statistics are not trivially 0 and 1. */
  offset: number;
}

// Output, moving statistics and the gradients in x, scale and offset of a loss that weighs every
// output differently.
function opAndGrads(backend: string, c: Case, seed: number): Promise<Float32Array[]> {
  return (async () => {
    await useBackend(backend);
    const ch = c.shape[c.shape.length - 1];
    const size = c.shape.reduce((a, b) => a * b, 1);
    const next = seededUniform(seed);
    const [x, scale, offset, mm, mv, weights] = tf.tidy(() => [
      tf.add(tf.tensor(randomValues(size, next), c.shape), c.offset),
      ...[0, 1, 2].map(() => tf.tensor1d(randomValues(ch, next))),
      tf.add(tf.abs(tf.tensor1d(randomValues(ch, next))), 0.5),
      tf.sin(tf.reshape(tf.range(0, size), c.shape)),
    ]);
    const r = batchNormTraining(
      x,
      scale as tf.Tensor1D,
      offset as tf.Tensor1D,
      mm as tf.Tensor1D,
      mv,
      options,
    );
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, o: tf.Tensor) => {
      const t = batchNormTraining(
        a,
        b as tf.Tensor1D,
        o as tf.Tensor1D,
        mm as tf.Tensor1D,
        mv,
        options,
      );
      tf.dispose([t.movingMean, t.movingVariance]);
      return tf.sum(tf.mul(t.y, weights));
    })([x, scale, offset]);
    const outs = [r.y, r.movingMean, r.movingVariance, ...grads];
    const values = outs.map((t) => Float32Array.from(t.dataSync() as Float32Array));
    tf.dispose([...outs, x, scale, offset, mm, mv, weights]);
    return values;
  })();
}

const cases: Case[] = [
  { shape: [4, 5, 5, 6], offset: 3 },
  { shape: [8, 7, 7, 16], offset: 100 }, // a large mean: the one-pass variance must not cancel
  { shape: [32, 3], offset: 0 },
  { shape: [2, 7, 3, 1], offset: -2 },
  { shape: [1, 1, 3, 5], offset: 1 }, // few rows: the unbiased correction n/(n−1) matters
  { shape: [3, 13, 13, 64], offset: 0.5 },
];

Deno.test("wasm training-mode batch-norm kernels match the cpu backend's composed op", async () => {
  const names = ["y", "moving mean", "moving variance", "dx", "dscale", "doffset"];
  for (const [i, c] of cases.entries()) {
    const wasm = await opAndGrads("wasm", c, 10 * i + 1);
    const cpu = await opAndGrads("cpu", c, 10 * i + 1);
    wasm.forEach((v, k) => {
      const err = relativeError(v, cpu[k]);
      assert.ok(err < 1e-4, `[${c.shape}] ${names[k]}: relative error ${err}`);
    });
  }
});

Deno.test("batchNormTraining runs one wasm kernel per direction and leaks nothing", async () => {
  await useBackend("wasm");
  const before = tf.memory().numTensors;
  const dataIds = tf.backend().numDataIds();
  const profile = await tf.profile(async () => {
    await opAndGrads("wasm", { shape: [4, 5, 5, 6], offset: 3 }, 1);
  });
  assert.ok(profile.kernelNames.includes("CnnlabBatchNormTraining"), profile.kernelNames.join());
  assert.ok(profile.kernelNames.includes("CnnlabBatchNormTrainingGrad"));
  assert.ok(!profile.kernelNames.includes("Mean"), `no moments: ${profile.kernelNames}`);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.backend().numDataIds(), dataIds);
});
