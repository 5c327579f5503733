/**
 * `InputConv2D`: a TF.js `Conv2D` for convolutions whose input depends on no trainable weight (the
 * model's first convolution). In training mode it runs the unfused `conv2d` + bias `add`, whose
 * registered gradients tfjs evaluates only for inputs on the path to a variable; the fused op's
 * custom gradient computes the input image's gradient too, a `Conv2DBackpropInput` nobody needs.
 *
 * It is the tfjs-layers `Conv2D` class otherwise (weights, config, class name, summary), so saved
 * topologies name it `Conv2D` and load as the standard layer.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { LayersConv2D } from "./conv_layer.ts";

/** `Conv2D` whose training-mode gradient never reaches its input. Takes `tf.layers.conv2d`'s args. */
export class InputConv2D extends LayersConv2D {
  override call(
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: { training?: boolean },
  ): tf.Tensor | tf.Tensor[] {
    if (!kwargs.training) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      if (this.dataFormat !== "channelsLast") {
        throw new Error(
          `InputConv2D '${this.name}' supports channelsLast data only, got ${this.dataFormat}`,
        );
      }
      const padding = this.padding === "same" ? "same" : "valid";
      const [sh, sw] = this.strides;
      const [dh, dw] = this.dilationRate;
      let y: tf.Tensor = tf.conv2d(
        x,
        this.kernel.read() as tf.Tensor4D,
        [sh, sw],
        padding,
        "NHWC",
        [dh, dw],
      );
      if (this.useBias) y = tf.add(y, this.bias.read());
      return this.activation.apply(y);
    });
  }
}
