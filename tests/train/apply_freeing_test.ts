import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { applyInference, applyTraining } from "../../tasks/train/apply_freeing.ts";
import { installSeededMathRandom } from "../../tasks/train/seeded_math_random.ts";
import { variableGrads } from "../../tasks/ops/variable_grads.ts";
import { batch, build } from "../models/_helpers.ts";
import { ensureNative } from "../backends/native/_compare.ts";

// Residual adds, concatenation, dropout (Math.random per call) and batch norm in training mode.
const MODELS: [Record<string, unknown>, [number, number, number]][] = [
  [{ name: "resnet_cifar", depth: 8, widths: [4, 8, 16], conv_dropout: 0.2 }, [16, 16, 3]],
  [{ name: "densenet_simple", block_sizes: [2, 2], transition_channels: [12] }, [32, 32, 1]],
  [{ name: "vgg", depth: 11, fc_units: [32], fc_dropout: 0.5 }, [32, 32, 1]],
];

/** Output and gradients of one training-mode forward pass, Math.random seeded alike. */
function run(
  model: tf.LayersModel,
  x: tf.Tensor,
  forward: (m: tf.LayersModel, x: tf.Tensor) => tf.Tensor,
) {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const random = installSeededMathRandom(7);
  try {
    let out: Float32Array | null = null;
    const { value, grads } = variableGrads(() => {
      const y = forward(model, x);
      out = y.dataSync().slice() as Float32Array;
      return tf.sum(tf.square(y));
    }, vars);
    const result = {
      out: out!,
      loss: value.dataSync()[0],
      grads: vars.map((v) => grads[v.name].dataSync().slice()),
    };
    tf.dispose([value, ...Object.values(grads)]);
    return result;
  } finally {
    random.restore();
  }
}

Deno.test("applyTraining() computes what model.apply(x, {training: true}) does, bit for bit", async () => {
  await ensureNative();
  await tf.setBackend("native");
  for (const [options, shape] of MODELS) {
    const model = build(options, shape, 5);
    const { x } = batch(3, shape, 5);
    const mine = run(model, x, applyTraining);
    const reference = run(model, x, (m, t) => m.apply(t, { training: true }) as tf.Tensor);
    assert.deepEqual(mine, reference, options.name as string);
    model.dispose();
    x.dispose();
  }
});

Deno.test("applyTraining() frees intermediate layer outputs during the forward pass", async () => {
  await tf.setBackend("cpu");
  const [options, shape] = MODELS[0];
  const model = build(options, shape, 5);
  const { x } = batch(3, shape, 5);
  // Tensors alive when the last layer runs, i.e. at the end of the forward pass.
  const last = model.layers[model.layers.length - 1];
  const apply = last.apply.bind(last);
  let atLast = 0;
  last.apply = (inputs, kwargs) => {
    atLast = tf.memory().numTensors;
    return apply(inputs, kwargs);
  };
  const before = tf.memory().numTensors;
  tf.tidy(() => applyTraining(model, x));
  const freed = atLast - before;
  tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
  const kept = atLast - before;
  // tfjs-layers keeps every layer output in training; here only the last layer's input is alive.
  assert.ok(kept - freed >= model.layers.length / 2, `kept ${kept}, freed path ${freed}`);
  // What outlives the scope (the batch norms' new moving averages) is the same on both paths.
  const a = tf.memory().numTensors;
  tf.tidy(() => applyTraining(model, x));
  const b = tf.memory().numTensors;
  tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
  assert.equal(b - a, tf.memory().numTensors - b);
  model.dispose();
  x.dispose();
});

/** Counts the native backend's in-place ReLUs (and how many it refused) while `body` runs. */
function countInPlace(body: () => void): { done: number; refused: number } {
  const backend = tf.backend() as unknown as {
    reluInPlace(dataId: object): boolean;
  };
  const original = backend.reluInPlace;
  const counts = { done: 0, refused: 0 };
  backend.reluInPlace = function (dataId) {
    const ran = original.call(this, dataId);
    counts[ran ? "done" : "refused"]++;
    return ran;
  };
  try {
    body();
  } finally {
    backend.reluInPlace = original;
  }
  return counts;
}

Deno.test("applyInference() computes model.apply(x, {training: false}) bit for bit, ReLUs in place", async () => {
  await ensureNative();
  await tf.setBackend("native");
  // VGG: conv → ReLU (every ReLU in place); ResNet: BN → ReLU and add → ReLU; DenseNet: BN → ReLU.
  for (const [options, shape] of MODELS) {
    const model = build(options, shape, 5);
    const { x } = batch(16, shape, 5);
    const reference = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
    let mine: tf.Tensor | null = null;
    const before = tf.memory().numTensors;
    const counts = countInPlace(() => {
      mine = tf.tidy(() => applyInference(model, x));
    });
    assert.deepEqual(mine!.dataSync(), reference.dataSync(), options.name as string);
    assert.equal(tf.memory().numTensors, before + 1, `${options.name}: only the output stays`);
    // Buffers below 4,096 values are plain arrays the backend does not track (not overwritten).
    const relus = model.layers.filter((l) => l.getClassName() === "Activation");
    const values = (l: tf.layers.Layer) =>
      (l.input as tf.SymbolicTensor).shape.slice(1).reduce((a: number, b) => a * b!, 16);
    const pooled = relus.filter((l) => values(l) >= 4096);
    assert.ok(pooled.length >= 4, `${options.name}: ${pooled.length} ReLUs on pooled buffers`);
    assert.deepEqual(counts, { done: pooled.length, refused: relus.length - pooled.length });
    tf.dispose([mine!, reference]);
    model.dispose();
    x.dispose();
  }
});

Deno.test("applyInference() leaves a ReLU's input alone when anything else reads it", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const input = tf.input({ shape: [4, 4, 2] });
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 1, kernelInitializer: "glorotNormal" })
    .apply(input) as tf.SymbolicTensor;
  const relu = tf.layers.activation({ activation: "relu" }).apply(conv) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([conv, relu]) as tf.SymbolicTensor;
  // The model's input and its output are never overwritten either.
  const first = tf.layers.activation({ activation: "relu" }).apply(input) as tf.SymbolicTensor;
  const both = tf.layers.concatenate().apply([sum, first]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: both });
  const x = tf.randomNormal([2, 4, 4, 2], 0, 1, "float32", 3);
  const copy = x.dataSync().slice();
  const reference = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
  let mine: tf.Tensor | null = null;
  const counts = countInPlace(() => {
    mine = tf.tidy(() => applyInference(model as unknown as tf.LayersModel, x));
  });
  assert.deepEqual(mine!.dataSync(), reference.dataSync());
  assert.deepEqual(x.dataSync(), copy);
  assert.deepEqual(counts, { done: 0, refused: 0 });
  tf.dispose([mine!, reference, x]);
  model.dispose();
});

Deno.test("applyInference() frees what a layer leaves behind (ReLU6's intermediate Relu)", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const input = tf.input({ shape: [8, 8, 4] });
  let y = input;
  for (let i = 0; i < 6; i++) {
    y = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU({ maxValue: 6 }).apply(y) as tf.SymbolicTensor;
  }
  const model = tf.model({ inputs: input, outputs: y });
  const x = tf.randomNormal([2, 8, 8, 4], 0, 1, "float32", 1);
  // Tensors alive when the last layer runs: the model's input, its weights, the last input.
  const last = model.layers[model.layers.length - 1];
  const apply = last.apply.bind(last);
  let atLast = 0;
  last.apply = (inputs, kwargs) => {
    atLast = tf.memory().numTensors;
    return apply(inputs, kwargs);
  };
  const reference = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
  const before = tf.memory().numTensors;
  const mine = tf.tidy(() => applyInference(model as unknown as tf.LayersModel, x));
  assert.deepEqual(mine.dataSync(), reference.dataSync());
  assert.equal(atLast, before + 1, "only the last layer's input is alive at its call");
  tf.dispose([mine, reference, x]);
  model.dispose();
});
