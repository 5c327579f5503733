import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { loadModel, saveModelWeights } from "../../tasks/models/mod.ts";
import { InputConv2D } from "../../tasks/models/input_conv_layer.ts";
import { batch, build } from "./_helpers.ts";

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];

function args(name: string, extra: Partial<ConvArgs> = {}): ConvArgs {
  return {
    name,
    filters: 3,
    kernelSize: 3,
    kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 7 }),
    biasInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 8 }),
    ...extra,
  };
}

/** Output and weight gradients of `layer` on `x` in training (or inference) mode. */
function outputAndGrads(layer: tf.layers.Layer, x: tf.Tensor, training: boolean) {
  const dy = tf.randomUniform([2, 3, 3, 3], -1, 1, "float32", 9);
  const y = layer.apply(x, { training }) as tf.Tensor;
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(
    () => tf.sum(tf.mul(layer.apply(x, { training }) as tf.Tensor, dy)),
    vars,
  );
  const out = {
    y: Array.from(y.dataSync()),
    grads: vars.map((v) => Array.from(grads[v.name].dataSync())),
  };
  tf.dispose([dy, y, ...Object.values(grads)]);
  return out;
}

function assertClose(actual: number[], expected: number[], what: string) {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]) <= 1e-5 * (1 + Math.abs(expected[i])), `${what} ${i}`)
  );
}

for (
  const [label, extra, shape] of [
    ["valid", {}, [2, 5, 5, 2]],
    ["same, stride 2", { padding: "same", strides: 2 }, [2, 6, 6, 2]],
    ["no bias", { useBias: false }, [2, 5, 5, 2]],
  ] as [string, Partial<ConvArgs>, number[]][]
) {
  Deno.test(`InputConv2D (${label}) equals tf.layers.conv2d: outputs and weight gradients`, () => {
    const x = tf.randomUniform(shape, -1, 1, "float32", 3);
    for (const training of [true, false]) {
      const ours = outputAndGrads(new InputConv2D(args("ours", extra)), x, training);
      const theirs = outputAndGrads(tf.layers.conv2d(args("theirs", extra)), x, training);
      assertClose(ours.y, theirs.y, `output (training ${training})`);
      assert.equal(ours.grads.length, extra.useBias === false ? 1 : 2);
      ours.grads.forEach((g, i) =>
        assertClose(g, theirs.grads[i], `gradient ${i} (training ${training})`)
      );
    }
    x.dispose();
  });
}

Deno.test("InputConv2D keeps Conv2D's weight names, config and class name", () => {
  const ours = new InputConv2D(args("c", { strides: 2, padding: "same" }));
  const theirs = tf.layers.conv2d(args("c", { strides: 2, padding: "same" }));
  ours.build([null, 6, 6, 2]);
  theirs.build([null, 6, 6, 2]);
  assert.equal(ours.getClassName(), "Conv2D");
  assert.deepEqual(ours.getConfig(), theirs.getConfig());
  assert.deepEqual(ours.weights.map((w) => w.originalName), ["kernel", "bias"]);
  assert.deepEqual(ours.weights.map((w) => w.shape), theirs.weights.map((w) => w.shape));
  assert.deepEqual(
    ours.weights.map((w) => Array.from(w.read().dataSync())),
    theirs.weights.map((w) => Array.from(w.read().dataSync())),
  );
});

Deno.test("the model zoo uses InputConv2D exactly for convolutions fed by the input", () => {
  const inputConvs = (options: Record<string, unknown>, input: [number, number, number]) => {
    const model = build(options, input);
    const names = model.layers.filter((l) => l instanceof InputConv2D).map((l) => l.name);
    model.dispose();
    return names;
  };
  assert.deepEqual(inputConvs({ name: "lenet" }, [28, 28, 1]), ["features.conv1"]);
  // ResNet-18's stem is padded by a parameter-free layer first.
  assert.deepEqual(inputConvs({ name: "resnet" }, [32, 32, 3]), ["stem.conv"]);
  assert.deepEqual(inputConvs({ name: "vgg_small" }, [28, 28, 1]), ["features.block1.conv1"]);
});

/** How many times each kernel ran during one training-mode gradient of `model`'s loss. */
async function kernelCounts(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
      vars,
    );
    tf.dispose([value, ...Object.values(grads)]);
  });
  const counts = new Map<string, number>();
  for (const k of info.kernels) counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
  return counts;
}

Deno.test("a LeNet training step computes no input gradient for the first convolution", async () => {
  const model = build({ name: "lenet" }, [28, 28, 1]);
  const { x, y } = batch(4, [28, 28, 1], 10);
  const counts = await kernelCounts(model, x, y);
  // Two convolutions, both with a filter gradient; only the second passes a gradient down.
  assert.equal(counts.get("Conv2DBackpropFilter"), 2);
  assert.equal(counts.get("Conv2DBackpropInput"), 1);
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("a model saved with InputConv2D loads as standard Conv2D layers with equal outputs", async () => {
  const dir = await Deno.makeTempDir();
  const model = build({ name: "lenet" }, [28, 28, 1]);
  const { x, y } = batch(2, [28, 28, 1], 10);
  await saveModelWeights(model, dir);
  const restored = await loadModel(dir);
  assert.deepEqual(
    model.getLayer("features.conv1").weights.map((w) => w.originalName),
    ["features.conv1/kernel", "features.conv1/bias"],
  );
  const conv1 = restored.getLayer("features.conv1");
  assert.equal(conv1.getClassName(), "Conv2D");
  assert.ok(!(conv1 instanceof InputConv2D));
  assert.deepEqual(
    (restored.predict(x) as tf.Tensor).dataSync(),
    (model.predict(x) as tf.Tensor).dataSync(),
  );
  [model, restored].forEach((m) => m.dispose());
  tf.dispose([x, y]);
  await Deno.remove(dir, { recursive: true });
});
