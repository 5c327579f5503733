import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { loadModelWeights, saveModelWeights } from "../../tasks/models/mod.ts";
import { batch, build } from "./_helpers.ts";
import { CASES } from "./_cases.ts";

for (const c of CASES) {
  const label = JSON.stringify(c.small.options);
  Deno.test(`save → load restores identical predictions of ${label}`, async () => {
    const dir = await Deno.makeTempDir();
    const { x } = batch(2, c.small.input, 3);
    const source = build(c.small.options, c.small.input, 3, 11);
    // One training-mode pass moves the BN running statistics off their initial values.
    tf.tidy(() => {
      source.apply(x, { training: true });
    });
    const expected = (source.predict(x) as tf.Tensor).dataSync();
    await saveModelWeights(source, dir);
    const target = build(c.small.options, c.small.input, 3, 12);
    await loadModelWeights(target, dir);
    assert.deepEqual((target.predict(x) as tf.Tensor).dataSync(), expected);
    [source, target].forEach((m) => m.dispose());
    x.dispose();
    await Deno.remove(dir, { recursive: true });
  });
}
