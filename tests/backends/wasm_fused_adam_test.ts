import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tasks/backends/mod.ts";
import { fusedAdamUpdate } from "../../tasks/ops/fused_adam_update.ts";
import { randomValues, seededUniform } from "./_compare_kernels.ts";

interface Step {
  lr: number;
  t: number;
  wd: number;
  decoupled: boolean;
}

const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];

// The op-by-op step of tasks/train/create_optimizer.ts (PyTorch's Adam and AdamW rules).
function adamOps(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: Step) {
  let base = w;
  if (o.decoupled) base = tf.mul(w, 1 - o.lr * o.wd);
  else if (o.wd > 0) g = tf.add(g, tf.mul(w, o.wd));
  const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - beta2 ** o.t)), eps);
  const stepSize = o.lr / (1 - beta1 ** o.t);
  return [tf.sub(base, tf.mul(tf.div(m1, denom), stepSize)), m1, v1];
}

Deno.test("fusedAdamUpdate() on wasm equals the op-by-op Adam and AdamW steps bit for bit", async () => {
  await useBackend("wasm");
  const next = seededUniform(5);
  // Small variables take a JS pass, large ones the backend's kernels.
  for (
    const [size, o] of [
      [30_011, { lr: 1e-3, t: 1, wd: 0, decoupled: false }],
      [30_011, { lr: 1e-2, t: 7, wd: 0.01, decoupled: false }],
      [30_011, { lr: 3e-4, t: 3, wd: 0.05, decoupled: true }],
      [300_007, { lr: 1e-2, t: 7, wd: 0.01, decoupled: false }],
      [300_007, { lr: 3e-4, t: 3, wd: 0.05, decoupled: true }],
    ] as const
  ) {
    const make = (scale: number) => tf.tensor(randomValues(size, next).map((x) => x * scale));
    const [w, g, m] = [make(1), make(0.1), make(0.01)];
    const v = tf.abs(make(1e-4));
    const fused = fusedAdamUpdate(w, g, m, v, {
      beta1,
      beta2,
      eps,
      stepSize: o.lr / (1 - beta1 ** o.t),
      biasCorrection2: Math.sqrt(1 - beta2 ** o.t),
      l2: o.decoupled ? 0 : o.wd,
      baseScale: o.decoupled ? 1 - o.lr * o.wd : 1,
    });
    assert.ok(fused !== null, "wasm registers the fused Adam kernel");
    const want = adamOps(w, g, m, v, o);
    ["w", "m", "v"].forEach((name, i) =>
      assert.deepEqual(
        fused[i].dataSync(),
        want[i].dataSync(),
        `${name} for ${size} values, ${JSON.stringify(o)}`,
      )
    );
    tf.dispose([w, g, m, v, ...fused, ...want]);
  }
});

Deno.test("the fused Adam kernel on wasm releases its intermediates", async () => {
  await useBackend("wasm");
  for (const size of [100, 300_007]) {
    const [w, g, m, v] = [0, 1, 2, 3].map(() => tf.ones([size]));
    const ids = tf.backend().numDataIds();
    const options = { beta1, beta2, eps, stepSize: 1e-3, biasCorrection2: 0.5, l2: 0.1 };
    const out = fusedAdamUpdate(w, g, m, v, options)!;
    assert.equal(tf.backend().numDataIds(), ids + 3);
    tf.dispose([w, g, m, v, ...out]);
  }
});
