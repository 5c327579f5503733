import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tasks/backends/mod.ts";
import { measureTrainSpeed } from "../../tasks/bench/measure_train_speed.ts";

Deno.test("measureTrainSpeed times the train stage's step and leaves no tensors behind", async () => {
  await useBackend("native");
  const before = tf.memory().numTensors;
  const r = await measureTrainSpeed("lenet", { batchSize: 16, warmupSteps: 1, steps: 3 });
  assert.equal(r.steps, 3);
  assert.ok(Number.isFinite(r.loss) && r.loss > 0 && r.loss < 5, `loss ${r.loss}`);
  assert.ok(Math.abs(r.imagesPerSec - (3 * 16) / r.seconds) < 1e-6);
  assert.equal(tf.memory().numTensors, before);
});
