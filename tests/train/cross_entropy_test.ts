import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { crossEntropy } from "../../tasks/train/cross_entropy.ts";
import { useBackend } from "../../tasks/backends/mod.ts";

// The loss spelled out with tfjs ops, differentiated by autodiff.
function reference(logits: tf.Tensor, labels: tf.Tensor, smoothing: number): tf.Scalar {
  const classes = logits.shape[1] as number;
  let target: tf.Tensor = tf.oneHot(labels, classes).toFloat();
  if (smoothing > 0) target = tf.add(tf.mul(target, 1 - smoothing), smoothing / classes);
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1)));
}

for (const backend of ["cpu", "wasm"]) {
  Deno.test(`crossEntropy() from logits: value and gradient equal autodiff's (${backend})`, async () => {
    await useBackend(backend);
    const logits = tf.randomNormal([16, 7], 0, 3, "float32", 3);
    const labels = tf.tensor1d(Array.from({ length: 16 }, (_, i) => (i * 5) % 7), "int32");
    for (const smoothing of [0, 0.1]) {
      const options = { labelSmoothing: smoothing };
      const ours = tf.valueAndGrad((x: tf.Tensor) => crossEntropy(x, labels, options))(logits);
      const theirs = tf.valueAndGrad((x: tf.Tensor) => reference(x, labels, smoothing))(logits);
      const [v1, v2] = [ours.value.dataSync()[0], theirs.value.dataSync()[0]];
      assert.ok(Math.abs(v1 - v2) <= 1e-6 * Math.abs(v2), `loss ${v1} vs ${v2}`);
      const [g1, g2] = [ours.grad.dataSync(), theirs.grad.dataSync()];
      g1.forEach((g, i) =>
        assert.ok(Math.abs(g - g2[i]) < 1e-7, `gradient ${i}: ${g} vs ${g2[i]}`)
      );
      tf.dispose([ours.value, ours.grad, theirs.value, theirs.grad]);
    }
    // Gradients flow through the logits into the layers below.
    const w = tf.variable(tf.ones([7, 7]));
    const { grads } = tf.variableGrads(() => crossEntropy(tf.matMul(logits, w), labels), [w]);
    assert.equal(grads[w.name].shape.join(), "7,7");
    assert.ok(grads[w.name].abs().sum().dataSync()[0] > 0);
    tf.dispose([logits, labels, w, ...Object.values(grads)]);
  });
}
