/**
 * conv2d + bias (no activation) whose gradient keeps only what it reads: x, the filter and the
 * bias. tfjs' `fused.conv2d` saves its output too, for an activation's gradient, even when there
 * is none; with the activation as a separate layer (VGG, AlexNet, plain CNNs: conv → ReLU) that
 * kept every conv's pre-activation output alive until the backward pass reached it, beside the
 * ReLU output the next layer saves anyway. Same kernels and the same gradient arithmetic as
 * tfjs' (for a linear activation its dy is the gradient as is), so the same values bit for bit.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Geometry of {@linkcode conv2dKeepingInput} (NHWC, no dilation). */
export interface Conv2dGeometry {
  strides: [number, number];
  pad: "same" | "valid";
}

/** `fused.conv2d(x, filter, bias)` with a linear activation, saving only x, filter and bias. */
export function conv2dKeepingInput(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor | null,
  geometry: Conv2dGeometry,
): tf.Tensor4D {
  const { strides, pad } = geometry;
  const attrs = {
    strides,
    pad,
    dataFormat: "NHWC",
    dilations: [1, 1],
    activation: "linear",
  } as unknown as tf.NamedAttrMap;
  const backward = (dy: tf.Tensor4D, xs: tf.Tensor4D, w: tf.Tensor4D, b?: tf.Tensor) => {
    const conv = { strides, pad, dataFormat: "NHWC", dilations: [1, 1] };
    const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, {
      ...conv,
      inputShape: xs.shape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const dw = tf.engine().runKernel("Conv2DBackpropFilter", { x: xs, dy }, {
      ...conv,
      filterShape: w.shape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    if (b === undefined) return [dx, dw];
    // tfjs' getFusedBiasGradient: dy summed over every axis the bias was broadcast along.
    const axes = dy.shape.map((_, i) => i).slice(0, dy.rank - b.rank);
    return [dx, dw, tf.reshape(tf.sum(dy, axes), b.shape)];
  };
  if (bias === null) {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xs, w] = args as tf.Tensor4D[];
      const save = args[2] as tf.GradSaveFunc;
      save([xs, w]);
      return {
        value: tf.engine().runKernel("FusedConv2D", { x: xs, filter: w }, attrs) as tf.Tensor4D,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          backward(dy as tf.Tensor4D, saved[0] as tf.Tensor4D, saved[1] as tf.Tensor4D),
      };
    });
    return op(x, filter) as tf.Tensor4D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, w, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    save([xs, w, b]);
    return {
      value: tf.engine().runKernel(
        "FusedConv2D",
        { x: xs, filter: w, bias: b },
        attrs,
      ) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        backward(dy as tf.Tensor4D, saved[0] as tf.Tensor4D, saved[1] as tf.Tensor4D, saved[2]),
    };
  });
  return op(x, filter, bias) as tf.Tensor4D;
}
