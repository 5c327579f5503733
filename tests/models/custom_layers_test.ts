import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import {
  ChannelPad,
  loadModel,
  LocalResponseNorm,
  saveModelWeights,
} from "../../tasks/models/mod.ts";
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
    const [options, input] of [
      [{ name: "googlenet", width: 0.125, lrn: true }, [32, 32, 1]],
      [{ name: "resnet_cifar", depth: 8, widths: [4, 8, 16] }, [16, 16, 3]],
    ] as [Record<string, unknown>, [number, number, number]][]
  ) {
    const dir = await Deno.makeTempDir();
    const model = build(options, input, 3);
    const { x } = batch(2, input, 3);
    await saveModelWeights(model, dir);
    const restored = await loadModel(dir);
    const classes = restored.layers.map((l) => l.getClassName());
    assert.ok(classes.includes(options.name === "googlenet" ? "LocalResponseNorm" : "ChannelPad"));
    assert.deepEqual(
      (restored.predict(x) as tf.Tensor).dataSync(),
      (model.predict(x) as tf.Tensor).dataSync(),
    );
    [model, restored].forEach((m) => m.dispose());
    x.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});
