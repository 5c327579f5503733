import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fusedAdamUpdate } from "../../../tasks/ops/fused_adam_update.ts";
import { ensureNative, randomArray } from "./_compare.ts";

// The op-by-op Adam/AdamW step of tasks/train/create_optimizer.ts.
function adamOps(
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  o: {
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
    t: number;
    wd: number;
    decoupled: boolean;
  },
) {
  let base = w;
  if (o.decoupled) base = tf.mul(w, 1 - o.lr * o.wd);
  else if (o.wd > 0) g = tf.add(g, tf.mul(w, o.wd));
  const m1 = tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1));
  const v1 = tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
  const stepSize = o.lr / (1 - o.beta1 ** o.t);
  const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - o.beta2 ** o.t)), o.eps);
  return [tf.sub(base, tf.mul(tf.div(m1, denom), stepSize)), m1, v1];
}

Deno.test("fusedAdamUpdate() equals the op-by-op Adam and AdamW steps bit for bit", async () => {
  await ensureNative();
  for (const backend of ["native", "cpu"]) {
    for (const [wd, decoupled] of [[0, false], [0.01, false], [0.05, true]] as const) {
      const o = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 3, wd, decoupled };
      await tf.setBackend("native");
      const make = (seed: number, scale = 1) =>
        tf.mul(tf.tensor(randomArray(70_001, seed), [70_001]), scale);
      const [w, g, m, v] = [make(1), make(2, 0.1), make(3, 0.01), tf.abs(make(4, 1e-4))];
      const fused = fusedAdamUpdate(w, g, m, v, {
        beta1: o.beta1,
        beta2: o.beta2,
        eps: o.eps,
        stepSize: o.lr / (1 - o.beta1 ** o.t),
        biasCorrection2: Math.sqrt(1 - o.beta2 ** o.t),
        l2: decoupled ? 0 : wd,
        baseScale: decoupled ? 1 - o.lr * wd : 1,
      });
      assert.ok(fused !== null);
      const got = fused.map((t) => t.dataSync());
      // The reference runs on `backend`, from the same values.
      const values = [w, g, m, v].map((t) => t.dataSync());
      await tf.setBackend(backend);
      const [w2, g2, m2, v2] = values.map((x) => tf.tensor(x));
      const want = adamOps(w2, g2, m2, v2, o).map((t) => t.dataSync());
      ["w", "m", "v"].forEach((name, i) =>
        assert.deepEqual(got[i], want[i], `${name} on ${backend}, wd ${wd}`)
      );
      tf.disposeVariables();
    }
  }
});

Deno.test("fusedAdamUpdate() returns null on other backends so callers run the ops", async () => {
  await tf.setBackend("cpu");
  const t = tf.zeros([3]);
  const options = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, biasCorrection2: 1 };
  assert.equal(fusedAdamUpdate(t, t, t, t, options), null);
});
