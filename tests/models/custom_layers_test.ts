import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import {
  ChannelPad,
  ConstantPadding2D,
  loadModel,
  LocalResponseNorm,
  PaddedMaxPool2D,
  saveModelWeights,
  Upsample2D,
} from "../../tasks/models/mod.ts";
import { maxPool } from "../../tasks/models/_net.ts";
import { batch, build } from "./_helpers.ts";

Deno.test("LocalResponseNorm follows nn.LocalResponseNorm's formula (mean over the window)", () => {
  const a = [0.5, -1, 2, 0, 3, -0.25, 1.5];
  const [size, alpha, beta, k] = [5, 0.1, 0.75, 2];
  const expected = a.map((v, c) => {
    let sum = 0;
    for (let j = c - 2; j <= c + 2; j++) if (j >= 0 && j < a.length) sum += a[j] ** 2;
    return v / (k + (alpha / size) * sum) ** beta;
  });
  const layer = new LocalResponseNorm({ size, alpha, beta, k });
  const y = layer.apply(tf.tensor4d(a, [1, 1, 1, a.length])) as tf.Tensor;
  Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}`));
  assert.deepEqual(layer.getConfig(), {
    name: layer.name,
    trainable: true,
    size,
    alpha,
    beta,
    k,
  });
});

Deno.test("ChannelPad adds zero channels before and after the existing ones", () => {
  const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]);
  const layer = new ChannelPad({ before: 1, after: 2 });
  const y = layer.apply(x) as tf.Tensor;
  assert.deepEqual(y.shape, [1, 2, 1, 5]);
  assert.deepEqual(Array.from(y.dataSync()), [0, 1, 2, 0, 0, 0, 3, 4, 0, 0]);
  assert.deepEqual(layer.computeOutputShape([null, 2, 1, 2]), [null, 2, 1, 5]);
});

Deno.test("loadModel() restores models that use the custom layers", async () => {
  for (
    const [options, input, custom] of [
      [{ name: "googlenet", width: 0.125, lrn: true }, [32, 32, 1], "LocalResponseNorm"],
      [{ name: "resnet_cifar", depth: 8, widths: [4, 8, 16] }, [16, 16, 3], "ChannelPad"],
      [
        { name: "resnet_cifar", depth: 8, widths: [4, 8, 16], conv_dropout: 0.2 },
        [16, 16, 3],
        "CnnlabDropout",
      ],
      [
        {
          name: "densenet_simple",
          block_sizes: [1, 1],
          growth_rate: 4,
          transition_channels: [8],
          init_features: 8,
        },
        [16, 16, 3],
        "PaddedMaxPool2D",
      ],
    ] as [Record<string, unknown>, [number, number, number], string][]
  ) {
    const dir = await Deno.makeTempDir();
    const model = build(options, input, 3);
    const { x } = batch(2, input, 3);
    await saveModelWeights(model, dir);
    const restored = await loadModel(dir);
    const classes = restored.layers.map((l) => l.getClassName());
    assert.ok(classes.includes(custom), `${options.name}: ${classes}`);
    assert.deepEqual(
      (restored.predict(x) as tf.Tensor).dataSync(),
      (model.predict(x) as tf.Tensor).dataSync(),
    );
    [model, restored].forEach((m) => m.dispose());
    x.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Upsample2D matches PyTorch's bilinear upsampling with align_corners=False", () => {
  const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const y = new Upsample2D({ factor: 2 }).apply(x) as tf.Tensor;
  // F.interpolate(torch.arange(1, 10.).reshape(1, 1, 3, 3), scale_factor=2, mode="bilinear")
  const torch = [
    [1, 1.25, 1.75, 2.25, 2.75, 3],
    [1.75, 2, 2.5, 3, 3.5, 3.75],
    [3.25, 3.5, 4, 4.5, 5, 5.25],
    [4.75, 5, 5.5, 6, 6.5, 6.75],
    [6.25, 6.5, 7, 7.5, 8, 8.25],
    [7, 7.25, 7.75, 8.25, 8.75, 9],
  ].flat();
  assert.deepEqual(y.shape, [1, 6, 6, 1]);
  Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - torch[i]) < 1e-6, `${i}`));
});

Deno.test("Upsample2D's gradient agrees with finite differences", () => {
  const layer = new Upsample2D({ factor: 3 });
  const x = tf.randomUniform([1, 3, 4, 2], 0, 1, "float32", 4);
  const weights = tf.randomUniform([1, 9, 12, 2], 0, 1, "float32", 5);
  const f = (t: tf.Tensor) => (layer.apply(t) as tf.Tensor).mul(weights).sum();
  const grad = tf.grad(f)(x).dataSync();
  const base = x.dataSync();
  for (const i of [0, 5, 13, 23]) {
    const bumped = Float32Array.from(base);
    bumped[i] += 1e-2;
    const numeric = (f(tf.tensor(bumped, x.shape)).dataSync()[0] - f(x).dataSync()[0]) / 1e-2;
    assert.ok(Math.abs(numeric - grad[i]) < 1e-2, `${i}: ${numeric} vs ${grad[i]}`);
  }
});

Deno.test("ConstantPadding2D pads height and width with its value", () => {
  const y = new ConstantPadding2D({ padding: 1, value: -5 }).apply(
    tf.ones([1, 1, 1, 1]),
  ) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), [-5, -5, -5, -5, 1, -5, -5, -5, -5]);
});

Deno.test("maxPool() never lets padding win, like nn.MaxPool2d(3, 2, padding=1)", () => {
  const input = tf.input({ shape: [4, 4, 1] });
  const model = tf.model({
    inputs: input,
    outputs: maxPool(input, "pool", { size: 3, stride: 2, padding: 1 }),
  });
  const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => -1 - i), [1, 4, 4, 1]);
  const y = model.predict(x) as tf.Tensor;
  // Windows start at -1 (PyTorch's symmetric padding), so the first covers rows/columns 0..1.
  assert.deepEqual(Array.from(y.dataSync()), [-1, -2, -5, -6]);
  assert.deepEqual(model.layers.map((l) => l.getClassName()), ["InputLayer", "PaddedMaxPool2D"]);
});

Deno.test("PaddedMaxPool2D: PyTorch's shapes, -Infinity kept, gradient to each window's maximum", () => {
  const layer = new PaddedMaxPool2D({ poolSize: 3, strides: 2, padding: 1 });
  assert.deepEqual(layer.computeOutputShape([null, 5, 4, 2]), [null, 3, 2, 2]);
  assert.deepEqual(layer.getConfig(), {
    name: layer.name,
    trainable: true,
    poolSize: 3,
    strides: 2,
    padding: 1,
  });
  // A window of -Infinity and padding gives -Infinity, as nn.MaxPool2d does (a lowest-float
  // padding would give -3.4e38).
  const x = tf.tensor4d([-Infinity, -Infinity, -Infinity, -Infinity], [1, 2, 2, 1]);
  assert.deepEqual(Array.from((layer.apply(x) as tf.Tensor).dataSync()), [-Infinity]);
  const v = tf.tensor4d([1, 5, 2, 0, -3, 4, 7, 6, 8], [1, 3, 3, 1]);
  const grad = tf.grad((a: tf.Tensor) => tf.sum(layer.apply(a) as tf.Tensor))(v);
  // Windows cover rows and columns -1..1 and 1..3: both top windows' maximum is the 5.
  const y = (layer.apply(v) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(y), [5, 5, 7, 8]);
  assert.deepEqual(Array.from(grad.dataSync()), [0, 2, 0, 0, 0, 0, 1, 0, 1]);
  assert.throws(
    () => new PaddedMaxPool2D({ name: "p", poolSize: 2, strides: 2, padding: 2 }),
    /Cannot build max pooling 'p' with padding 2: it must be at least 0 and less than the window size 2/,
  );
});
