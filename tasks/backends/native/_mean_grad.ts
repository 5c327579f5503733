/**
 * Mean's gradient without a full-size tensor of ones. tfjs computes it as
 * div(mul(reshape(dy), ones(x.shape)), n): a ones array filled in JavaScript and two full-size
 * passes, for every global average pool (each squeeze-excitation block, every ResNet head).
 * Here: tile(div(reshape(dy), n)), the same values (dy·1 = dy exactly) with one small division
 * and one copy. Gradients are registered per kernel name for every backend, so the installed
 * gradient hands every case it does not cover (other backends, other dtypes) to tfjs' own.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { GradConfig, NamedAttrMap } from "@tensorflow/tfjs-core";
import { backend_util } from "@tensorflow/tfjs-core";

let installed = false;

/** Replaces tfjs' Mean gradient on the `native` backend (float32); idempotent. */
export function installNativeMeanGradient(): void {
  if (installed) return;
  const original = tf.getGradient("Mean") as GradConfig | undefined;
  if (original === undefined) return; // tfjs without gradients: nothing to speed up
  installed = true;
  tf.registerGradient({
    kernelName: "Mean",
    inputsToSave: original.inputsToSave,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
      const g = dy as tf.Tensor;
      const [x] = saved;
      if (tf.getBackend() !== "native" || x == null || x.dtype !== "float32") {
        return original.gradFunc(dy, saved, attrs);
      }
      const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
      const [, reduceShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
      const count = tf.util.sizeFromShape(reduceShape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      return {
        x: () => tf.broadcastTo(tf.div(tf.reshape(g, kept), count), x.shape),
      };
    },
  });
}
