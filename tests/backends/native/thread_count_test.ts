import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel, parseModelOptions } from "../../../tasks/models/mod.ts";
import type { NativeBackend } from "../../../tasks/backends/native/mod.ts";
import { trainStep } from "../../../tasks/train/_train_step.ts";
import { createOptimizer } from "../../../tasks/train/create_optimizer.ts";
import { trainOptionsSchema } from "../../../tasks/train/train_options.ts";
import { ensureNative } from "./_compare.ts";

/** Weights after three of the train stage's Adam steps on native with `threads` OpenMP threads. */
async function weightsAfterSteps(options: unknown, threads: number): Promise<Float32Array[]> {
  await ensureNative();
  await tf.setBackend("native");
  const backend = tf.backend() as NativeBackend;
  const before = backend.setThreads(0);
  backend.setThreads(threads);
  const net = buildModel(parseModelOptions(options), {
    inputShape: [28, 28, 1],
    classes: 10,
    seed: 1,
  });
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = createOptimizer(trainOptionsSchema.parse({ optimizer: "adam" }));
  const x = tf.randomNormal([32, 28, 28, 1], 0, 1, "float32", 4);
  const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), "int32");
  const step = { model: net, vars, optimizer, lr: 1e-3, fromLogits: true, labelSmoothing: 0 };
  try {
    for (let i = 0; i < 3; i++) await trainStep({ x, y }, { ...step, clipNorm: null });
    return vars.map((v) => Float32Array.from(v.dataSync()));
  } finally {
    optimizer.dispose();
    net.dispose();
    tf.dispose([x, y]);
    backend.setThreads(before);
  }
}

function differing(a: Float32Array[], b: Float32Array[]): number {
  let n = 0;
  a.forEach((w, i) => w.forEach((v, j) => n += v === b[i][j] ? 0 : 1));
  return n;
}

// The finding the engine relies on (native/README.md, "Numerics and determinism"): oneDNN splits
// convolution filter-gradient reductions by thread, so the thread count changes the last bits of
// the weights; the same thread count reproduces them exactly. The thread count is therefore a
// runtime fact of native train stages.
for (
  const options of [{ name: "lenet" }, { name: "resnet", depth: 18, blocks: [1, 1], width: 16 }]
) {
  Deno.test(`${options.name} weights after Adam steps on native: same bits with the same threads, other bits with 1 vs 2`, async () => {
    const two = await weightsAfterSteps(options, 2);
    assert.equal(differing(await weightsAfterSteps(options, 2), two), 0);
    const one = await weightsAfterSteps(options, 1);
    assert.ok(differing(one, two) > 0, "1 and 2 threads gave bit-identical weights");
    // Only rounding: Adam moves a weight by ~lr per step, the differences are far below that.
    one.forEach((w, i) =>
      w.forEach((v, j) => assert.ok(Math.abs(v - two[i][j]) < 1e-3, `weight ${i}[${j}]`))
    );
  });
}
