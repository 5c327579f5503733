/**
 * `Conv2D`: the tfjs-layers `Conv2D` (weights, config, class name, summary, saved topologies)
 * whose training-mode call, for a 2-D NHWC convolution without activation or dilation, runs
 * {@linkcode conv2dKeepingInput}: the same values, but the backward pass keeps only the
 * convolution's input instead of also its output (see tasks/ops/conv2d_keeping_input.ts).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dKeepingInput } from "../ops/conv2d_keeping_input.ts";

type Conv2DLayer = ReturnType<typeof tf.layers.conv2d>;
type ConvLayerArgs = Parameters<typeof tf.layers.conv2d>[0];

// tfjs-layers does not export its Conv2D class; its serialization registry holds it.
const registered = tf.serialization.SerializationMap.getMap().classNameMap["Conv2D"];
if (registered === undefined) {
  throw new Error("Cannot define Conv2D as tfjs-layers registered no 'Conv2D' class");
}
/** tfjs-layers' own Conv2D class. */
export const LayersConv2D = registered[0] as unknown as new (args: ConvLayerArgs) => Conv2DLayer;

/** tfjs-layers' `Conv2D` whose training gradient keeps only its input. Takes its args. */
export class Conv2D extends LayersConv2D {
  override call(
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: { training?: boolean },
  ): tf.Tensor | tf.Tensor[] {
    const plain = kwargs.training && this.dataFormat === "channelsLast" &&
      this.activation.getClassName() === "linear" &&
      this.dilationRate.every((d) => d === 1) &&
      (this.padding === "same" || this.padding === "valid");
    if (!plain) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      if (x.rank !== 4) return super.call(inputs, kwargs);
      return conv2dKeepingInput(
        x,
        this.kernel.read() as tf.Tensor4D,
        this.useBias ? this.bias.read() : null,
        { strides: [this.strides[0], this.strides[1]], pad: this.padding as "same" | "valid" },
      );
    });
  }
}
