import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fusedSgdUpdate } from "../../../tasks/ops/fused_sgd_update.ts";
import { createOptimizer } from "../../../tasks/train/create_optimizer.ts";
import { trainOptionsSchema } from "../../../tasks/train/train_options.ts";
import { nativeKernelNames } from "../../../tasks/backends/native/mod.ts";
import { ensureNative, randomArray } from "./_compare.ts";

// The op-by-op SGD step of tasks/train/create_optimizer.ts.
function sgdOps(
  w: tf.Tensor,
  g: tf.Tensor,
  buf: tf.Tensor | null,
  o: { lr: number; momentum: number; wd: number; nesterov: boolean },
): tf.Tensor[] {
  if (o.wd > 0) g = tf.add(g, tf.mul(w, o.wd));
  let update = g;
  const out: tf.Tensor[] = [];
  if (buf !== null) {
    const next = tf.add(tf.mul(buf, o.momentum), g);
    out.push(next);
    update = o.nesterov ? tf.add(g, tf.mul(next, o.momentum)) : next;
  }
  return [tf.sub(w, tf.mul(update, o.lr)), ...out];
}

const CASES = [
  { lr: 0.1, momentum: 0, wd: 0, nesterov: false },
  { lr: 0.1, momentum: 0, wd: 5e-4, nesterov: false },
  { lr: 0.05, momentum: 0.9, wd: 0, nesterov: false },
  { lr: 0.1, momentum: 0.9, wd: 5e-4, nesterov: false },
  { lr: 0.01, momentum: 0.9, wd: 1e-4, nesterov: true },
];

Deno.test("fusedSgdUpdate() equals the op-by-op SGD step bit for bit (decay, momentum, Nesterov)", async () => {
  await ensureNative();
  assert.ok(nativeKernelNames.includes("CnnlabFusedSgd"));
  for (const backend of ["native", "cpu"]) {
    for (const o of CASES) {
      await tf.setBackend("native");
      // Sizes below and above the kernel's thread split.
      for (const n of [7, 70_001]) {
        const make = (seed: number, scale = 1) =>
          tf.mul(tf.tensor(randomArray(n, seed), [n]), scale);
        const [w, g] = [make(1), make(2, 0.1)];
        const buf = o.momentum > 0 ? make(3, 0.05) : null;
        const fused = fusedSgdUpdate(w, g, buf, {
          lr: o.lr,
          momentum: o.momentum,
          weightDecay: o.wd,
          nesterov: o.nesterov,
        });
        assert.ok(fused !== null);
        assert.equal(fused.length, buf === null ? 1 : 2);
        const got = fused.map((t) => t.dataSync());
        const values = [w, g, ...(buf ? [buf] : [])].map((t) => t.dataSync());
        await tf.setBackend(backend);
        const [w2, g2, b2] = values.map((x) => tf.tensor(x));
        const want = sgdOps(w2, g2, b2 ?? null, o).map((t) => t.dataSync());
        assert.deepEqual(got, want, `${JSON.stringify(o)} n ${n} against ${backend}`);
        await tf.setBackend("native");
      }
      tf.disposeVariables();
    }
  }
});

Deno.test("the SGD optimizer takes the same steps with and without the fused kernel", async () => {
  await ensureNative();
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const opt = createOptimizer(
      trainOptionsSchema.parse({
        optimizer: "sgd",
        momentum: 0.9,
        weight_decay: 5e-4,
        nesterov: true,
      }),
    );
    const w = tf.variable(tf.tensor(randomArray(5000, 9), [50, 100]));
    const bias = tf.variable(tf.tensor(randomArray(100, 10), [100]));
    for (let step = 0; step < 3; step++) {
      const gw = tf.tensor(randomArray(5000, 20 + step), [50, 100]);
      const gb = tf.tensor(randomArray(100, 30 + step), [100]);
      opt.step([w, bias], [gw, gb], 0.1);
      tf.dispose([gw, gb]);
    }
    const state = await opt.getState();
    const out = [
      w.dataSync().slice(),
      bias.dataSync().slice(),
      ...state.slots.map((s) => s.values),
    ];
    opt.dispose();
    tf.dispose([w, bias]);
    return out;
  };
  assert.deepEqual(await run("native"), await run("cpu"));
});

Deno.test("fusedSgdUpdate() returns null on other backends and refuses a buffer without momentum", async () => {
  await tf.setBackend("cpu");
  const t = tf.zeros([3]);
  const o = { lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false };
  assert.equal(fusedSgdUpdate(t, t, null, o), null);
  await ensureNative();
  await tf.setBackend("native");
  const u = tf.zeros([3]);
  assert.throws(() => fusedSgdUpdate(u, u, u, o), {
    message:
      "Cannot run CnnlabFusedSgd: a momentum buffer goes with momentum > 0 and only then (momentum 0, buffer given)",
  });
});
