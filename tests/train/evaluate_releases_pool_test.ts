import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { evaluateModel } from "../../tasks/train/evaluate_model.ts";
import { ensureNative } from "../backends/native/_compare.ts";

interface PoolStats {
  memoryStats(): { live: number; highWater: number; pooled: number };
}

function* twoBatches() {
  for (let i = 0; i < 2; i++) {
    yield {
      x: tf.randomNormal([4, 8, 8, 1], 0, 1, "float32", i),
      y: tf.tensor1d([0, 1, 2, 0], "int32"),
      size: 4,
    };
  }
}

/** Leaves 80 MB of native kernel outputs in the pool, as a training step's activations do. */
function poolTrainingSizedBuffers(): void {
  const x = tf.randomNormal([5_000_000], 0, 1, "float32", 1);
  tf.dispose([1, 2, 3, 4].map((k) => tf.mul(x, k)));
  x.dispose();
}

Deno.test("evaluateModel() gives training's pooled buffers back before inference (native)", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const backend = tf.backend() as unknown as PoolStats;
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), tf.layers.dense({ units: 3 })],
  });
  poolTrainingSizedBuffers();
  const before = backend.memoryStats();
  assert.ok(before.pooled >= 80e6 && before.highWater >= 80e6, JSON.stringify(before));
  await evaluateModel(model, twoBatches(), { classes: 3 });
  const after = backend.memoryStats();
  assert.ok(after.pooled < 1e6 && after.highWater < 1e6, JSON.stringify(after));
  // Kept when asked (the bench's timed batches reuse its untimed batch's buffers).
  poolTrainingSizedBuffers();
  await evaluateModel(model, twoBatches(), { classes: 3, releasePooled: false });
  assert.ok(backend.memoryStats().pooled >= 80e6);
  model.dispose();
});
