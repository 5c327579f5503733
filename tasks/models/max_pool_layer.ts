/**
 * `PaddedMaxPool2D`: `nn.MaxPool2d(size, stride, padding=p)` as one pooling with symmetric implicit
 * padding that never wins (tf.maxPool's numeric `pad`). TF.js's `maxPooling2d` layer offers only
 * "same" (asymmetric for strided windows) and "valid"; padding first would add a full-size padded
 * copy of the activation, kept for the gradient, plus a pad and a slice per step. Serializable,
 * no weights.
 */
import * as tf from "@tensorflow/tfjs";

/** Settings of {@link PaddedMaxPool2D}. */
export interface PaddedMaxPool2DArgs {
  /** Window height and width. */
  poolSize: number;
  /** Step between windows. */
  strides: number;
  /** Rows/columns of implicit padding on each side (less than `poolSize`). */
  padding: number;
  name?: string;
}

/** `[b,h,w,c] → [b,⌊(h+2p−k)/s⌋+1,⌊(w+2p−k)/s⌋+1,c]`. */
export class PaddedMaxPool2D extends tf.layers.Layer {
  /** Registered class name, stored in saved topologies. */
  static className = "PaddedMaxPool2D";
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: number;

  constructor(args: PaddedMaxPool2DArgs) {
    super({ name: args.name });
    if (!(args.padding >= 0 && args.padding < args.poolSize)) {
      throw new Error(
        `Cannot build max pooling '${args.name}' with padding ${args.padding}: it must be at least 0 and less than the window size ${args.poolSize}`,
      );
    }
    this.poolSize = args.poolSize;
    this.strides = args.strides;
    this.padding = args.padding;
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    const out = (d: number | null) =>
      d === null ? null : Math.floor((d + 2 * this.padding - this.poolSize) / this.strides) + 1;
    return [s[0], out(s[1]), out(s[2]), s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.maxPool(x, this.poolSize, this.strides, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize,
      strides: this.strides,
      padding: this.padding,
    };
  }
}
tf.serialization.registerClass(PaddedMaxPool2D);
