/**
 * Lab report 000's DenseNet: DenseNet-121's layout whose dense layers PyTorch never registered,
 * so torchinfo counts 705,290 params (stem, transitions, Linear) and the optimizer never moves
 * the dense layers.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { summarizeModel } from "../../tasks/models/mod.ts";
import { requiredInputShape } from "../../tasks/models/mod.ts";
import { parseModelOptions } from "../../tasks/models/mod.ts";
import { batch, build, trainableCount } from "./_helpers.ts";

/** As configs/base/lab000-models.yaml writes it. */
const LAB = {
  name: "densenet",
  depth: 121,
  stem_bias: true,
  head_norm: false,
  train_dense_layers: false,
  fc_dropout: 0.2,
  fc_dropout_at: "output",
};

Deno.test("lab report 000's DenseNet has its 705,290 trainable params and its printed layers", () => {
  const shape = requiredInputShape(parseModelOptions(LAB), [28, 28, 1]);
  assert.deepEqual(shape, [32, 32, 1]);
  const model = build(LAB, shape);
  assert.equal(trainableCount(model), 705_290);
  const s = summarizeModel(model, 64);
  model.dispose();
  assert.equal(s.trainableParams, 705_290);
  const row = (name: string) => s.rows.find((r) => r.name === name)!;
  // ConvLayer (Sequential 3-1): 7×7 conv with bias 3,200 + BN 128 = 3,328.
  assert.equal(row("stem.conv").params + row("stem.bn").params, 3_328);
  // TransitionLayer 2-7 (Sequential 3-4): BN(1024) + 1×1 conv 1024 → 512 = 526,336, to 1×1.
  assert.equal(row("transition3.bn").params + row("transition3.conv").params, 526_336);
  assert.deepEqual(row("transition3.pool").outputShape, [64, 1, 1, 512]);
  // DenseBlock 2-8 → 1024 channels, then AdaptiveAvgPool2d, Linear 10,250, Dropout on [64, 10].
  assert.deepEqual(row("block4.layer16.concat").outputShape, [64, 1, 1, 1024]);
  const tail = s.rows.slice(-3).map((r) => [r.name, r.outputShape, r.params]);
  assert.deepEqual(tail, [
    ["head.pool", [64, 1024], 0],
    ["head.fc", [64, 10], 10_250],
    ["head.fc.dropout", [64, 10], 0],
  ]);
  assert.ok(!s.rows.some((r) => r.name.startsWith("head.bn")));
});

Deno.test("densenet defaults are unchanged: torchvision's head BN, dropout before the Linear, all trained", () => {
  const model = build({ name: "densenet", block_sizes: [4, 4, 4, 4], fc_dropout: 0.2 }, [
    32,
    32,
    1,
  ]);
  assert.equal(trainableCount(model), 977_482);
  const names = model.layers.map((l) => l.name);
  model.dispose();
  assert.deepEqual(names.slice(-5), [
    "head.bn",
    "head.relu",
    "head.pool",
    "head.dropout",
    "head.fc",
  ]);
});

Deno.test("train_dense_layers: false leaves the dense layers at their initial weights", () => {
  const small = { ...LAB, depth: 121, block_sizes: [2, 2], growth_rate: 4, init_features: 8 };
  const model = build(small, [32, 32, 1]);
  const read = (name: string) => Array.from(model.getLayer(name).getWeights()[0].dataSync());
  const before = { dense: read("block1.layer1.conv1"), transition: read("transition1.conv") };
  const { x, y } = batch(4, [32, 32, 1], 10);
  const opt = tf.train.adam(0.01);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.tidy(() => {
    opt.minimize(
      () => {
        const logits = model.apply(x, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      },
      false,
      vars,
    );
  });
  assert.deepEqual(read("block1.layer1.conv1"), before.dense);
  assert.notDeepEqual(read("transition1.conv"), before.transition);
  for (const t of [x, y]) t.dispose();
  opt.dispose();
  model.dispose();
});
