import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { MODEL_NAMES, parseModelOptions, requiredInputShape } from "../../tasks/models/mod.ts";
import { batch, build } from "./_helpers.ts";
import { CASES } from "./_cases.ts";

Deno.test("the cases below cover every model name", () => {
  const covered = new Set(CASES.map((c) => c.options.name));
  assert.deepEqual(MODEL_NAMES.filter((n) => !covered.has(n)), []);
});

for (const c of CASES) {
  const label = JSON.stringify(c.options);
  Deno.test(`${label} asks for [${c.input}] on [${c.data}] data and gives [batch, ${c.classes}]`, () => {
    assert.deepEqual(requiredInputShape(parseModelOptions(c.options), c.data), c.input);
    const model = build(c.options, c.input, c.classes);
    assert.deepEqual(model.inputs[0].shape, [null, ...c.input]);
    assert.deepEqual(model.outputs[0].shape, [null, c.classes]);
    model.dispose();
  });
  Deno.test(`${label} computes finite [2, 5] logits for a real batch of its small form`, () => {
    const model = build(c.small.options, c.small.input, 5);
    const { x } = batch(2, c.small.input, 5);
    const y = model.predict(x) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 5]);
    assert.ok(Array.from(y.dataSync()).every(Number.isFinite));
    tf.dispose([x, y]);
    model.dispose();
  });
}

Deno.test("requiredInputShape() lets densenet's ImageNet stem grow MNIST to 32×32", () => {
  assert.deepEqual(requiredInputShape(parseModelOptions({ name: "densenet" }), [28, 28, 1]), [
    32,
    32,
    1,
  ]);
  const cifarStem = parseModelOptions({ name: "densenet", stem: "cifar" });
  assert.deepEqual(requiredInputShape(cifarStem, [28, 28, 1]), [28, 28, 1]);
});

Deno.test("buildModel() explains an input too small for the architecture", () => {
  assert.throws(() => build({ name: "vgg", depth: 11 }, [16, 16, 1]), {
    message:
      "Cannot build model 'vgg' for input [16,16,1]: layer 'features.block5.pool' would output [0,0,512]. Use a larger input (preprocess.resize) or a shallower model",
  });
});
