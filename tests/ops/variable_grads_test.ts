import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { variableGrads } from "../../tasks/ops/variable_grads.ts";
import { buildModel, parseModelOptions } from "../../tasks/models/mod.ts";
import { useBackend } from "../../tasks/backends/mod.ts";
import type { NativeBackend } from "../../tasks/backends/native/mod.ts";
import { randomArray } from "../backends/native/_compare.ts";

/** A seeded model, batch and loss; `grads` computes value and gradients with the given function. */
function setUp(options: unknown, batch: number) {
  const model = buildModel(parseModelOptions(options), {
    inputShape: [28, 28, 1],
    classes: 10,
    seed: 3,
  });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor(randomArray(batch * 28 * 28, 5), [batch, 28, 28, 1]);
  const labels = tf.oneHot(
    tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), "int32"),
    10,
  );
  const loss = () =>
    tf.losses.softmaxCrossEntropy(
      labels,
      model.apply(x, { training: true }) as tf.Tensor,
    ) as tf.Scalar;
  const run = (vg: typeof variableGrads) => {
    const { value, grads } = vg(loss, vars);
    const out = {
      loss: value.dataSync()[0],
      grads: vars.map((v) => Float32Array.from(grads[v.name].dataSync())),
    };
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  };
  const dispose = () => {
    tf.dispose([x, labels]);
    model.dispose();
  };
  return { run, dispose };
}

const families = [
  { name: "lenet" },
  { name: "resnet", depth: 18, blocks: [1, 1], width: 8 }, // fan-out and Add: accumulated gradients
  { name: "densenet", block_sizes: [2, 2], growth_rate: 4, stem: "cifar" }, // Concat and SplitV
];

for (const backend of ["cpu", "native"]) {
  Deno.test(`variableGrads() gives tf.variableGrads' gradients bit for bit on ${backend}`, async () => {
    await useBackend(backend);
    for (const options of families) {
      const s = setUp(options, backend === "cpu" ? 2 : 4);
      const ours = s.run(variableGrads);
      const theirs = s.run(tf.variableGrads);
      s.dispose();
      assert.equal(ours.loss, theirs.loss);
      ours.grads.forEach((g, i) =>
        assert.deepEqual(g, theirs.grads[i], `${options.name} grad ${i}`)
      );
    }
  });
}

Deno.test("variableGrads() leaves no tensor behind", async () => {
  await useBackend("native");
  const s = setUp(families[1], 4);
  s.run(variableGrads); // warm up
  const before = tf.memory().numTensors;
  s.run(variableGrads);
  assert.equal(tf.memory().numTensors, before);
  s.dispose();
});

Deno.test("variableGrads() frees the backward pass as it goes: the step's peak is the forward's", async () => {
  await useBackend("native");
  const backend = tf.backend() as NativeBackend;
  const model = buildModel(parseModelOptions(families[1]), {
    inputShape: [28, 28, 1],
    classes: 10,
    seed: 3,
  });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor(randomArray(64 * 28 * 28, 5), [64, 28, 28, 1]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), "int32"), 10);
  const alloc = backend.allocFloat32.bind(backend);
  let most = 0;
  backend.allocFloat32 = (n: number) => {
    const out = alloc(n);
    most = Math.max(most, backend.memoryStats().live);
    return out;
  };
  // The forward pass's own peak (a kernel's output allocated while its inputs are still alive)
  // is the bar: the backward pass may not add to it.
  const peaks = (vg: typeof variableGrads) => {
    let forward = 0;
    most = 0;
    const { value, grads } = vg(() => {
      const out = model.apply(x, { training: true }) as tf.Tensor;
      forward = most;
      return tf.losses.softmaxCrossEntropy(labels, out) as tf.Scalar;
    }, vars);
    tf.dispose([value, ...Object.values(grads)]);
    return { forward, step: most };
  };
  try {
    const lean = peaks(variableGrads);
    const plain = peaks(tf.variableGrads);
    assert.ok(
      lean.step <= 1.1 * lean.forward,
      `lean: ${lean.step} bytes at most, ${lean.forward} at most in the forward pass`,
    );
    assert.ok(
      plain.step >= 1.5 * plain.forward,
      `tfjs: ${plain.step} at most, ${plain.forward} at most in the forward pass`,
    );
  } finally {
    backend.allocFloat32 = alloc;
    tf.dispose([x, labels]);
    model.dispose();
  }
});

Deno.test("variableGrads() keeps higher-order gradients working", async () => {
  await useBackend("cpu");
  const v = tf.variable(tf.tensor1d([0.5, -1, 2]));
  // d/dv Σ (d/dv Σ v³) = d/dv Σ 3v² = 6v
  const { value, grads } = variableGrads(
    () => tf.sum(tf.grad((a: tf.Tensor) => tf.sum(tf.pow(a, 3)))(v)) as tf.Scalar,
    [v],
  );
  assert.deepEqual(Array.from(grads[v.name].dataSync()), [3, -6, 12]);
  assert.equal(value.dataSync()[0], 3 * (0.25 + 1 + 4));
  tf.dispose([value, ...Object.values(grads), v]);
});
