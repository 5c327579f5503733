import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tasks/backends/mod.ts";
import { measureTrainSpeed } from "../../tasks/bench/measure_train_speed.ts";
import { peakRssBytes, resetPeakRss } from "../../tasks/bench/peak_rss.ts";

Deno.test("measureTrainSpeed times the train stage's step and leaves no tensors behind", async () => {
  await useBackend("native");
  const before = tf.memory().numTensors;
  const r = await measureTrainSpeed("lenet", { batchSize: 16, warmupSteps: 1, steps: 3 });
  assert.equal(r.steps, 3);
  assert.ok(Number.isFinite(r.loss) && r.loss > 0 && r.loss < 5, `loss ${r.loss}`);
  assert.ok(Math.abs(r.imagesPerSec - (3 * 16) / r.seconds) < 1e-6);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("resetPeakRss() lets the inference peak be measured apart from training's", () => {
  const big = new Float32Array(64 * 2 ** 20).fill(1); // 256 MiB, touched
  const withBig = peakRssBytes()!;
  (big.buffer as ArrayBuffer).transfer(0);
  assert.equal(resetPeakRss(), true);
  const after = peakRssBytes()!;
  assert.ok(withBig - after > 200 * 2 ** 20, `peak ${withBig} → ${after} after the reset`);
});

Deno.test("measureTrainSpeed reports the training and the inference peaks", async () => {
  await useBackend("native");
  const r = await measureTrainSpeed("lenet", {
    batchSize: 16,
    warmupSteps: 1,
    steps: 1,
    evalBatchSize: 32,
    evalBatches: 1,
  });
  assert.ok(r.evalImagesPerSec! > 0);
  for (const peak of [r.trainPeakRssBytes, r.evalPeakRssBytes]) {
    assert.ok(peak! > 50 * 2 ** 20 && peak! < 4 * 2 ** 30, `peak ${peak}`);
  }
});
