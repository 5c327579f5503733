import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { createOptimizer, type OptimizerOptions } from "../../tasks/train/create_optimizer.ts";
import { trainOptionsSchema } from "../../tasks/train/train_options.ts";
import { useCpu } from "./_fixtures.ts";

await useCpu();

function opts(o: Record<string, unknown>): OptimizerOptions {
  return trainOptionsSchema.parse(o);
}

/** Runs `steps` updates of a one-element variable starting at `w0` with constant gradient `g`. */
function trajectory(o: Record<string, unknown>, w0: number, g: number, steps: number, lr = 0.1) {
  const optimizer = createOptimizer(opts(o));
  const w = tf.variable(tf.scalar(w0));
  const grad = tf.scalar(g);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.step([w], [grad], lr);
    out.push(w.dataSync()[0]);
  }
  tf.dispose([w, grad]);
  optimizer.dispose();
  return out;
}

function close(actual: number[], expected: number[]) {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) < 1e-6, `${actual} vs ${expected}`));
}

Deno.test("createOptimizer() sgd follows w ← w − lr·g", () => {
  close(trajectory({ optimizer: "sgd" }, 1, 0.5, 2), [0.95, 0.9]);
});

Deno.test("createOptimizer() sgd with momentum accumulates a velocity as PyTorch", () => {
  close(trajectory({ optimizer: "sgd", momentum: 0.9 }, 1, 1, 2), [0.9, 0.71]);
});

Deno.test("createOptimizer() sgd with nesterov looks ahead along the velocity", () => {
  close(trajectory({ optimizer: "sgd", momentum: 0.9, nesterov: true }, 1, 1, 2), [0.81, 0.539]);
});

Deno.test("createOptimizer() sgd adds weight decay to the gradient", () => {
  close(trajectory({ optimizer: "sgd", weight_decay: 0.1 }, 2, 1, 1), [1.88]);
});

Deno.test("createOptimizer() adam's first step moves every weight by about lr", () => {
  close(trajectory({ optimizer: "adam" }, 1, 0.5, 1), [0.9]);
  close(trajectory({ optimizer: "adam" }, 1, -3, 1), [1.1]);
});

Deno.test("createOptimizer() adam couples weight decay, adamw decouples it", () => {
  // Zero gradient: adam sees g = wd·w = 0.5 and steps by lr; adamw only shrinks w by lr·wd.
  close(trajectory({ optimizer: "adam", weight_decay: 0.5 }, 1, 0, 1), [0.9]);
  close(trajectory({ optimizer: "adamw", weight_decay: 0.5 }, 1, 0, 1), [0.95]);
  close(trajectory({ optimizer: "adamw", weight_decay: 0.5 }, 1, 0.5, 1), [0.85]);
});

Deno.test("createOptimizer() skips variables whose gradient is null", () => {
  const optimizer = createOptimizer(opts({ optimizer: "sgd", momentum: 0.9 }));
  const [a, b] = [tf.variable(tf.scalar(1)), tf.variable(tf.scalar(1))];
  const g = tf.scalar(1);
  optimizer.step([a, b], [g, null], 0.1);
  assert.deepEqual([a.dataSync()[0], b.dataSync()[0]], [0.8999999761581421, 1]);
  tf.dispose([a, b, g]);
  optimizer.dispose();
});

Deno.test("createOptimizer() state restored into a new optimizer continues the same trajectory", async () => {
  for (const o of [{ optimizer: "adam" }, { optimizer: "sgd", momentum: 0.9 }]) {
    const first = createOptimizer(opts(o));
    const w = tf.variable(tf.tensor1d([1, -2]));
    const g = tf.tensor1d([0.3, -0.7]);
    first.step([w], [g], 0.1);
    first.step([w], [g], 0.1);
    const state = await first.getState();
    const saved = w.dataSync().slice();
    first.step([w], [g], 0.1);
    const expected = Array.from(w.dataSync());

    const second = createOptimizer(opts(o));
    second.setState(state);
    w.assign(tf.tensor1d(saved));
    second.step([w], [g], 0.1);
    assert.deepEqual(Array.from(w.dataSync()), expected);
    assert.equal(second.iterations, 3);
    tf.dispose([w, g]);
    first.dispose();
    second.dispose();
  }
});

Deno.test("createOptimizer() refuses state of another optimizer", () => {
  const sgd = createOptimizer(opts({ optimizer: "sgd", momentum: 0.9 }));
  assert.throws(
    () =>
      sgd.setState({
        iterations: 1,
        slots: [{ name: "m/0", shape: [1], values: new Float32Array(1) }],
      }),
    {
      message: "Cannot restore sgd state: unexpected slot 'm/0' (expected slots momentum in order)",
    },
  );
});

Deno.test("createOptimizer() steps create no tensors beyond its slots", () => {
  const optimizer = createOptimizer(opts({ optimizer: "adamw", weight_decay: 0.1 }));
  const w = tf.variable(tf.ones([3]));
  const g = tf.ones([3]);
  optimizer.step([w], [g], 0.1);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) optimizer.step([w], [g], 0.1);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([w, g]);
  optimizer.dispose();
});
