/**
 * `ConstantPadding2D`: pads height and width with a constant, serializable. Models built before
 * `PaddedMaxPool2D` padded max pools with it (the lowest float, so padded cells never win); it
 * stays registered so their saved topologies load.
 */
import * as tf from "@tensorflow/tfjs";

/** The lowest finite float32, PyTorch's implicit max-pool padding without infinities. */
export const LOWEST_FLOAT32 = -3.4028234663852886e38;

/** Settings of {@link ConstantPadding2D}. */
export interface ConstantPadding2DArgs {
  /** Rows/columns added on each side. */
  padding: number;
  /** Fill value. Default 0. */
  value?: number;
  name?: string;
}

/** `[b,h,w,c] → [b,h+2p,w+2p,c]`. */
export class ConstantPadding2D extends tf.layers.Layer {
  /** Registered class name, stored in saved topologies. */
  static className = "ConstantPadding2D";
  readonly padding: number;
  readonly value: number;

  constructor(args: ConstantPadding2DArgs) {
    super({ name: args.name });
    this.padding = args.padding;
    this.value = args.value ?? 0;
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    const grow = (d: number | null) => (d === null ? null : d + 2 * this.padding);
    return [s[0], grow(s[1]), grow(s[2]), s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const p = this.padding;
    return tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], this.value);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding, value: this.value };
  }
}
tf.serialization.registerClass(ConstantPadding2D);
