import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { clipByGlobalNorm } from "../../tasks/train/clip_by_global_norm.ts";
import { crossEntropy } from "../../tasks/train/cross_entropy.ts";
import { targetRank } from "../../tasks/train/target_rank.ts";
import { useCpu } from "./_fixtures.ts";

await useCpu();

const near = (a: number, b: number, eps = 1e-5) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

Deno.test("crossEntropy() from logits equals −log softmax of the true class", () => {
  const logits = tf.tensor2d([[2, 1, 0], [0, 0, 0]]);
  const labels = tf.tensor1d([0, 2], "int32");
  const z = Math.exp(2) + Math.exp(1) + 1;
  const expected = (-Math.log(Math.exp(2) / z) - Math.log(1 / 3)) / 2;
  near(crossEntropy(logits, labels).dataSync()[0], expected);
  // The same rows given as probabilities.
  const probs = tf.softmax(logits);
  near(crossEntropy(probs, labels, { fromLogits: false }).dataSync()[0], expected);
  tf.dispose([logits, labels, probs]);
});

Deno.test("crossEntropy() with label smoothing mixes in the uniform target as PyTorch", () => {
  const logits = tf.tensor2d([[2, 1, 0]]);
  const labels = tf.tensor1d([0], "int32");
  const z = Math.exp(2) + Math.exp(1) + 1;
  const logp = [2, 1, 0].map((v) => v - Math.log(z));
  const eps = 0.3;
  const t = [1 - eps + eps / 3, eps / 3, eps / 3];
  near(
    crossEntropy(logits, labels, { labelSmoothing: eps }).dataSync()[0],
    -t.reduce((s, ti, i) => s + ti * logp[i], 0),
  );
  tf.dispose([logits, labels]);
});

Deno.test("crossEntropy() of a confident wrong softmax is large but finite", () => {
  const probs = tf.tensor2d([[1, 0]]);
  const labels = tf.tensor1d([1], "int32");
  near(crossEntropy(probs, labels, { fromLogits: false }).dataSync()[0], -Math.log(1e-7), 1e-3);
  tf.dispose([probs, labels]);
});

Deno.test("targetRank() counts classes ranked above the truth, ties broken like argMax", () => {
  const scores = tf.tensor2d([
    [0.1, 0.7, 0.2], // label 1: best → rank 0
    [0.1, 0.7, 0.2], // label 0: two above → rank 2
    [0.5, 0.5, 0.5], // label 2: ties with lower indices count above → rank 2
    [0.5, 0.5, 0.5], // label 0: first among equals → rank 0
  ]);
  const labels = tf.tensor1d([1, 0, 2, 0], "int32");
  assert.deepEqual(Array.from(targetRank(scores, labels).dataSync()), [0, 2, 2, 0]);
  tf.dispose([scores, labels]);
});

Deno.test("clipByGlobalNorm() scales all gradients by maxNorm / global norm, only when above", () => {
  const a = tf.tensor1d([3, 0]);
  const b = tf.tensor1d([0, 4]); // global norm 5
  const clipped = clipByGlobalNorm([a, b], 1);
  near(clipped[0].dataSync()[0], 0.6);
  near(clipped[1].dataSync()[1], 0.8);
  const kept = clipByGlobalNorm([a, b], 10);
  assert.deepEqual(Array.from(kept[0].dataSync()), [3, 0]);
  tf.dispose([a, b, ...clipped, ...kept]);
});
