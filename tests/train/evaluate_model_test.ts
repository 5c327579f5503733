import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { evaluateModel } from "../../tasks/train/evaluate_model.ts";
import { useCpu } from "./_fixtures.ts";

await useCpu();

/** A model that outputs its 3 inputs unchanged: the logits are the pixels. */
function identityModel() {
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape: [1, 1, 3] }));
  return model;
}

function* batchesOf(rows: number[][], labels: number[], size: number) {
  for (let i = 0; i < rows.length; i += size) {
    const r = rows.slice(i, i + size);
    yield {
      x: tf.tensor4d(r.flat(), [r.length, 1, 1, 3]),
      y: tf.tensor1d(labels.slice(i, i + size), "int32"),
      size: r.length,
    };
  }
}

Deno.test("evaluateModel() computes loss, top-k, per-class accuracy and the confusion matrix", async () => {
  const rows = [[5, 0, 0], [0, 5, 0], [0, 5, 0], [0, 0, 5], [5, 0, 0]];
  const labels = [0, 1, 0, 2, 0];
  const before = tf.memory().numTensors;
  const r = await evaluateModel(identityModel(), batchesOf(rows, labels, 2), { classes: 3 });
  assert.equal(r.count, 5);
  assert.equal(r.top1, 0.8);
  assert.equal(r.top5, 1);
  assert.deepEqual(r.per_class, [2 / 3, 1, 1]);
  assert.deepEqual(r.confusion, [[2, 1, 0], [0, 1, 0], [0, 0, 1]]);
  const good = -Math.log(Math.exp(5) / (Math.exp(5) + 2));
  const bad = -Math.log(1 / (Math.exp(5) + 2));
  assert.ok(Math.abs(r.loss - (4 * good + bad) / 5) < 1e-5);
  assert.ok(r.images_per_sec > 0);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("evaluateModel() gives null accuracy to a class without samples", async () => {
  const r = await evaluateModel(identityModel(), batchesOf([[1, 0, 0]], [0], 4), { classes: 3 });
  assert.deepEqual(r.per_class, [1, null, null]);
});

Deno.test("evaluateModel() refuses an empty set", async () => {
  await assert.rejects(() => evaluateModel(identityModel(), batchesOf([], [], 4), { classes: 3 }), {
    message: "Cannot evaluate a model on an empty set: no batch was given",
  });
});
