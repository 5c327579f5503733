/**
 * ReLU's gradient from its output instead of its input. tfjs' gradient, dy · step(x), saves the
 * ReLU's input x; in a conv → ReLU or BN → ReLU unit that keeps the conv's (or BN's) output alive
 * for the whole step only for its sign, beside the ReLU output the next layer saves anyway.
 * step(relu(x)) equals step(x) for every x (NaN, ±0 and ±Inf included), so dy · step(y) is the
 * same gradient bit for bit, on every backend, and one full-size activation per unit is freed
 * after the forward pass (GoogLeNet: roughly half of what a step keeps; PyTorch's ReLU also
 * keeps its output). Gradients are registered per kernel name for every backend.
 */
import * as tf from "@tensorflow/tfjs-core";

let installed = false;

/** Replaces tfjs' Relu gradient by the output-saving one (idempotent). */
export function installReluOutputGradient(): void {
  if (installed || tf.getGradient("Relu") === undefined) return;
  installed = true;
  tf.registerGradient({
    kernelName: "Relu",
    outputsToSave: [true],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [y] = saved;
      return { x: () => tf.mul(dy as tf.Tensor, tf.cast(tf.step(y), "float32")) };
    },
  });
}
