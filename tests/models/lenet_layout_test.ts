/** LeNet's layer-order options: today's layout by default, lab report 000's layout on request. */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { formatSummary, parseModelOptions, summarizeModel } from "../../tasks/models/mod.ts";
import { build, trainableCount } from "./_helpers.ts";

/** Lab report 000's LeNet as configs/base/lab000-models.yaml writes it. */
const LAB = {
  name: "lenet",
  norm_order: ["norm_act", "act_norm"],
  fc_dropout: 0.1,
  fc_dropout_at: "output",
};

function layerNames(model: tf.LayersModel): string[] {
  return model.layers.map((l) => l.name);
}

Deno.test("lenet's default layout is conv → BN → sigmoid → pool twice, dropout after each hidden FC", () => {
  const model = build({ name: "lenet", fc_dropout: 0.1 }, [28, 28, 1]);
  assert.deepEqual(layerNames(model), [
    "input",
    "features.conv1",
    "features.bn1",
    "features.sigmoid1",
    "features.pool1",
    "features.conv2",
    "features.bn2",
    "features.sigmoid2",
    "features.pool2",
    "classifier.flatten",
    "classifier.fc1",
    "classifier.fc1.relu",
    "classifier.fc1.dropout",
    "classifier.fc2",
    "classifier.fc2.relu",
    "classifier.fc2.dropout",
    "classifier.fc3",
  ]);
  model.dispose();
});

Deno.test("lenet in lab report 000's layout: block 2 sigmoid before BN, one dropout on the logits, 61,750 params", () => {
  const model = build(LAB, [28, 28, 1]);
  assert.deepEqual(layerNames(model), [
    "input",
    "features.conv1",
    "features.bn1",
    "features.sigmoid1",
    "features.pool1",
    "features.conv2",
    "features.sigmoid2",
    "features.bn2",
    "features.pool2",
    "classifier.flatten",
    "classifier.fc1",
    "classifier.fc1.relu",
    "classifier.fc2",
    "classifier.fc2.relu",
    "classifier.fc3",
    "classifier.fc3.dropout",
  ]);
  assert.equal(trainableCount(model), 61_750);
  const summary = summarizeModel(model, 64);
  model.dispose();
  assert.equal(summary.totalParams, 61_750);
  // torchinfo's row order of the lab's summary (Conv2d 2-1 … Dropout 2-14) and its shapes.
  assert.deepEqual(
    summary.rows.map((r) => `${r.type} ${JSON.stringify(r.outputShape)} ${r.params}`),
    [
      "Conv2D [64,28,28,6] 156",
      "BatchNorm [64,28,28,6] 12",
      "Activation [64,28,28,6] 0",
      "MaxPooling2D [64,14,14,6] 0",
      "Conv2D [64,10,10,16] 2416",
      "Activation [64,10,10,16] 0",
      "BatchNorm [64,10,10,16] 32",
      "MaxPooling2D [64,5,5,16] 0",
      "Flatten [64,400] 0",
      "Dense [64,120] 48120",
      "Activation [64,120] 0",
      "Dense [64,84] 10164",
      "Activation [64,84] 0",
      "Dense [64,10] 850",
      "CnnlabDropout [64,10] 0",
    ],
  );
  const lines = formatSummary(summary).split("\n");
  const at = (name: string) => lines.findIndex((l) => l.startsWith(`${name} (`));
  assert.ok(at("features.sigmoid2") > at("features.conv2"));
  assert.ok(at("features.bn2") > at("features.sigmoid2"));
  assert.ok(at("classifier.fc3.dropout") > at("classifier.fc3"));
  assert.ok(lines.includes("Total params: 61,750"));
});

Deno.test("lenet: the lab layout's weights are the default layout's (same names, same seeds)", () => {
  const lab = build(LAB, [28, 28, 1]);
  const plain = build({ name: "lenet", fc_dropout: 0.1 }, [28, 28, 1]);
  const weights = (m: tf.LayersModel) =>
    Object.fromEntries(m.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
  assert.deepEqual(weights(lab), weights(plain));
  // Inference: the logits dropout is the identity.
  const x = tf.randomUniform([64, 28, 28, 1], 0, 1, "float32", 3);
  const noDrop = build({ ...LAB, fc_dropout: 0 }, [28, 28, 1]);
  const a = (lab.predict(x) as tf.Tensor).arraySync();
  const b = (noDrop.predict(x) as tf.Tensor).arraySync();
  assert.deepEqual(a, b);
  // Training: the dropout acts on the logits (at rate 0.1, some of the 64×10 are zeroed).
  const trained = tf.tidy(() => lab.apply(x, { training: true }) as tf.Tensor);
  assert.ok(Array.from(trained.dataSync()).some((v) => v === 0));
  for (const t of [x, trained]) t.dispose();
  for (const m of [lab, plain, noDrop]) m.dispose();
});

Deno.test("lenet: one order for all blocks; a per-block list must have one entry per conv block", () => {
  const model = build({ name: "lenet", norm_order: "act_norm" }, [28, 28, 1]);
  const names = layerNames(model);
  model.dispose();
  assert.ok(names.indexOf("features.sigmoid1") < names.indexOf("features.bn1"));
  assert.ok(names.indexOf("features.sigmoid2") < names.indexOf("features.bn2"));
  assert.throws(
    () => parseModelOptions({ name: "lenet", norm_order: ["norm_act"] }),
    /norm_order.*has 1 entries but the model has 2 conv blocks/s,
  );
  assert.throws(
    () => parseModelOptions({ name: "lenet", fc_dropout_at: "input" }),
    /fc_dropout_at/,
  );
});
