import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel, parseModelOptions } from "../../../tasks/models/mod.ts";
import type { NativeBackend } from "../../../tasks/backends/native/mod.ts";
import { ensureNative, randomArray, relativeError } from "./_compare.ts";

interface StepResult {
  loss: number;
  grads: Float32Array[];
  weights: Float32Array[];
}

/** Loss, gradients and weights after two Adam steps of a freshly built, seeded model. */
async function trainSteps(backend: string, options: unknown, batch: number): Promise<StepResult> {
  await tf.setBackend(backend);
  const model = buildModel(parseModelOptions(options), {
    inputShape: [28, 28, 1],
    classes: 10,
    seed: 7,
  });
  const x = tf.tensor(randomArray(batch * 28 * 28, 3), [batch, 28, 28, 1]);
  const labels = tf.tidy(() =>
    tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), "int32"), 10)
  );
  const optimizer = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let result: StepResult | undefined;
  for (let step = 0; step < 2; step++) {
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(x, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, vars);
    if (step === 0) {
      result = {
        loss: value.dataSync()[0],
        grads: vars.map((v) => Float32Array.from(grads[v.name].dataSync())),
        weights: [],
      };
    }
    optimizer.applyGradients(grads as Record<string, tf.Variable>);
    tf.dispose([value, ...Object.values(grads)]);
  }
  result!.weights = vars.map((v) => Float32Array.from(v.dataSync()));
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
  return result!;
}

function assertClose(native: StepResult, cpu: StepResult, what: string) {
  assert.ok(
    Math.abs(native.loss - cpu.loss) <= 1e-4 * Math.abs(cpu.loss),
    `${what}: loss ${native.loss} vs cpu ${cpu.loss}`,
  );
  // Gradients that are zero in exact arithmetic (a conv bias right before batch norm) are pure
  // rounding noise on both backends, so each error is taken relative to at least 1e-3 of the
  // largest gradient of the model.
  const largest = Math.max(
    ...cpu.grads.map((g) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0)),
  );
  native.grads.forEach((g, i) => {
    let diff = 0, scale = 1e-3 * largest;
    for (let j = 0; j < g.length; j++) {
      diff = Math.max(diff, Math.abs(g[j] - cpu.grads[i][j]));
      scale = Math.max(scale, Math.abs(cpu.grads[i][j]));
    }
    assert.ok(diff / scale < 1e-4, `${what}: gradient ${i} relative error ${diff / scale}`);
  });
  native.weights.forEach((w, i) => {
    // Adam turns even rounding noise into ±lr steps, so noise-only gradients (see above) say
    // nothing about their weights.
    const gradScale = cpu.grads[i].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (gradScale < 1e-3 * largest) return;
    let worst = 0;
    for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j] - cpu.weights[i][j]));
    // Adam moves each weight by at most ~lr per step; 1e-4 is a tenth of that.
    assert.ok(worst < 1e-4, `${what}: weight ${i} differs by ${worst} after two Adam steps`);
  });
}

const lenet = { name: "lenet" };
const smallResnet = { name: "resnet", depth: 18, blocks: [1, 1], width: 8 };

Deno.test("a LeNet training step on native equals the cpu backend's", async () => {
  await ensureNative();
  assertClose(await trainSteps("native", lenet, 8), await trainSteps("cpu", lenet, 8), "lenet");
});

Deno.test("a small ResNet training step on native equals the cpu backend's", async () => {
  await ensureNative();
  assertClose(
    await trainSteps("native", smallResnet, 4),
    await trainSteps("cpu", smallResnet, 4),
    "resnet",
  );
});

Deno.test("native training steps are bit-identical across runs with the same thread count", async () => {
  await ensureNative();
  const first = await trainSteps("native", smallResnet, 4);
  const again = await trainSteps("native", smallResnet, 4);
  assert.equal(again.loss, first.loss);
  again.grads.forEach((g, i) => assert.deepEqual(g, first.grads[i], `gradient ${i}`));
  again.weights.forEach((w, i) => assert.deepEqual(w, first.weights[i], `weight ${i}`));
});

Deno.test("native training steps on 1 thread differ from 2 threads only by rounding", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const backend = tf.backend() as NativeBackend;
  const threads = backend.setThreads(0);
  const many = await trainSteps("native", smallResnet, 4);
  backend.setThreads(1);
  const one = await trainSteps("native", smallResnet, 4);
  backend.setThreads(threads);
  // oneDNN splits the filter-gradient reduction by thread, so its summation order (and the last
  // bits) follow the thread count; everything of ours reduces in a thread-independent order.
  assert.ok(Math.abs(one.loss - many.loss) <= 1e-6 * Math.abs(many.loss));
  one.grads.forEach((g, i) => {
    const err = relativeError(g, many.grads[i]);
    assert.ok(err < 1e-4, `gradient ${i}: relative error ${err}`);
  });
});

Deno.test("repeated native training steps leave no tensors or backend data behind", async () => {
  await ensureNative();
  await trainSteps("native", smallResnet, 4); // warm caches (pool, kernels)
  const backend = tf.backend() as NativeBackend;
  const tensors = tf.memory().numTensors, dataIds = backend.numDataIds();
  await trainSteps("native", smallResnet, 4);
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(backend.numDataIds(), dataIds);
});
