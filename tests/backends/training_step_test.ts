import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tasks/backends/mod.ts";
import { relativeError } from "./_compare_kernels.ts";

/**
 * A LeNet-like model (conv-bn-sigmoid-pool, conv/2-bn-relu, dense ×2) with weights from
 * `seed`. The convs have no bias: a bias before batch norm has a zero gradient up to rounding,
 * which Adam scales to ±lr, so it would compare rounding noise, not kernels.
 */
function lenetLike(seed: number, size: number): tf.LayersModel {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [size, size, 1],
        filters: 4,
        kernelSize: 5,
        padding: "same",
        useBias: false,
        kernelInitializer: init(1),
      }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: "sigmoid" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 6,
        kernelSize: 3,
        strides: 2,
        useBias: false,
        kernelInitializer: init(2),
      }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: "relu" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 16, activation: "relu", kernelInitializer: init(3) }),
      tf.layers.dense({ units: 10, kernelInitializer: init(4) }),
    ],
  });
}

/** Loss of one Adam step and the weights after it, on the current backend. */
async function trainStep(backend: string, size: number, batch: number) {
  await useBackend(backend);
  const model = lenetLike(5, size);
  const optimizer = tf.train.adam(0.01);
  const x = tf.randomNormal([batch, size, size, 1], 0, 1, "float32", 9);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), "int32"), 10);
  const cost = optimizer.minimize(
    () =>
      tf.losses.softmaxCrossEntropy(
        y,
        model.apply(x, { training: true }) as tf.Tensor,
      ) as tf.Scalar,
    true,
  ) as tf.Scalar;
  const loss = (await cost.data())[0];
  const weights = await Promise.all(model.getWeights().map((w) => w.data()));
  tf.dispose([cost, x, y]);
  optimizer.dispose();
  model.dispose();
  return { loss, weights };
}

function assertSameStep(
  got: { loss: number; weights: tf.TypedArray[] },
  want: { loss: number; weights: tf.TypedArray[] },
  tolerance: number,
  label: string,
) {
  assert.ok(Number.isFinite(want.loss) && want.loss > 0, `${label}: reference loss ${want.loss}`);
  assert.ok(
    Math.abs(got.loss - want.loss) / want.loss < tolerance,
    `${label}: loss ${got.loss} vs ${want.loss}`,
  );
  assert.equal(got.weights.length, want.weights.length);
  got.weights.forEach((w, i) => {
    const err = relativeError(w, want.weights[i]);
    assert.ok(err < tolerance, `${label}: weight ${i} relative error ${err}`);
  });
}

Deno.test("a LeNet-like training step gives the same loss and weights on wasm and cpu", async () => {
  const want = await trainStep("cpu", 28, 8);
  const got = await trainStep("wasm", 28, 8);
  assertSameStep(got, want, 1e-4, "wasm vs cpu");
});

Deno.test("a tiny training step gives the same loss and weights on WebGPU (any adapter, llvmpipe too) and cpu", async () => {
  if ((navigator as { gpu?: unknown }).gpu === undefined) {
    assert.fail(
      "WebGPU is not available: run this test with `deno test -A --unstable-webgpu` (deno task test does)",
    );
  }
  const want = await trainStep("cpu", 12, 4);
  const got = await trainStep("webgpu", 12, 4);
  assertSameStep(got, want, 1e-3, "webgpu vs cpu");
});
