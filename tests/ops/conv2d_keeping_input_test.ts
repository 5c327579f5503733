import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { conv2dKeepingInput } from "../../tasks/ops/conv2d_keeping_input.ts";
import { Conv2D } from "../../tasks/models/conv_layer.ts";
import { ensureNative, randomArray } from "../backends/native/_compare.ts";

type Case = {
  x: number[];
  w: number[];
  bias: boolean;
  strides: [number, number];
  pad: "same" | "valid";
};
const CASES: Case[] = [
  { x: [2, 9, 9, 3], w: [3, 3, 3, 5], bias: true, strides: [1, 1], pad: "same" },
  { x: [3, 10, 7, 4], w: [3, 2, 4, 6], bias: false, strides: [2, 1], pad: "valid" },
  { x: [2, 8, 8, 16], w: [1, 1, 16, 32], bias: true, strides: [2, 2], pad: "same" },
];

/** Output and the gradients of sum(y · r) for x, w (and b) through `conv`. */
function grads(c: Case, conv: (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor | null) => tf.Tensor) {
  return tf.tidy(() => {
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(randomArray(size(c.x), 1), c.x as [number, number, number, number]);
    const w = tf.tensor4d(randomArray(size(c.w), 2), c.w as [number, number, number, number]);
    const b = tf.tensor(randomArray(c.w[3], 3), [c.w[3]]);
    const y = conv(x, w, c.bias ? b : null);
    const r = tf.tensor(randomArray(y.size, 4), y.shape);
    const f = (...v: tf.Tensor[]) =>
      tf.sum(tf.mul(conv(v[0] as tf.Tensor4D, v[1] as tf.Tensor4D, c.bias ? v[2] : null), r));
    const g = tf.grads(f)(c.bias ? [x, w, b] : [x, w]);
    return [y, ...g].map((t) => t.dataSync().slice());
  });
}

Deno.test("conv2dKeepingInput() equals tfjs' fused conv2d forward and backward, bit for bit", async () => {
  await ensureNative();
  for (const backend of ["native", "cpu"]) {
    await tf.setBackend(backend);
    for (const c of CASES) {
      const mine = grads(
        c,
        (x, w, b) => conv2dKeepingInput(x, w, b, { strides: c.strides, pad: c.pad }),
      );
      const reference = grads(
        c,
        (x, w, b) =>
          tf.fused.conv2d({ x, filter: w, bias: b ?? undefined, strides: c.strides, pad: c.pad }),
      );
      assert.deepEqual(mine, reference, `${backend} ${JSON.stringify(c)}`);
    }
  }
});

Deno.test("the Conv2D layer saves its input, not its output, for the backward pass", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const layer = new Conv2D({ filters: 4, kernelSize: 3, padding: "same" });
  assert.equal(layer.getClassName(), "Conv2D");
  const x = tf.tensor(randomArray(2 * 6 * 6 * 3, 5), [2, 6, 6, 3]);
  // What the tape saves: x, kernel and bias (3 tensors), not the output as tfjs' fused op does.
  const savedBy = (training: boolean) => {
    const engine = tf.engine() as unknown as { state: { activeTape: { saved?: tf.Tensor[] }[] } };
    let saved: number[][] = [];
    tf.grad((v: tf.Tensor) => {
      const y = layer.apply(v, { training }) as tf.Tensor;
      saved = engine.state.activeTape.flatMap((n) => (n.saved ?? []).map((t) => t.shape));
      return tf.sum(y);
    })(x).dispose();
    return saved;
  };
  assert.deepEqual(savedBy(true), [[2, 6, 6, 3], [3, 3, 3, 4], [4]]);
  assert.ok(savedBy(false).some((s) => s.join() === "2,6,6,4"), "tfjs' op saves the output");
  x.dispose();
});
