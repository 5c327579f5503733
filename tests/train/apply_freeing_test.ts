import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { applyTraining } from "../../tasks/train/apply_freeing.ts";
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
