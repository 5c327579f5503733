import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { batch, build, lossBeforeAfter } from "./_helpers.ts";
import { CASES } from "./_cases.ts";

for (const c of CASES) {
  Deno.test(`one Adam step on a tiny batch lowers the loss of ${JSON.stringify(c.small.options)}`, () => {
    const model = build(c.small.options, c.small.input, 4);
    const { x, y } = batch(8, c.small.input, 4);
    const { before, after } = lossBeforeAfter(model, x, y, { lr: 1e-3 });
    assert.ok(Number.isFinite(before) && after < before, `loss ${before} → ${after}`);
    tf.dispose([x, y]);
    model.dispose();
  });
}

Deno.test("a model with dropout still learns its tiny batch (inference-mode loss falls)", () => {
  const model = build(
    {
      name: "vgg_small",
      blocks: [[8], [8]],
      fc_units: [32, 32],
      fc_dropout: 0.4,
      conv_dropout: 0.2,
    },
    [16, 16, 1],
    4,
  );
  const { x, y } = batch(8, [16, 16, 1], 4);
  const evalLoss = () =>
    tf.tidy(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor).dataSync()[0]);
  const before = evalLoss();
  lossBeforeAfter(model, x, y, { lr: 3e-3, steps: 10 });
  const after = evalLoss();
  assert.ok(after < before, `loss ${before} → ${after}`);
  tf.dispose([x, y]);
  model.dispose();
});
