/**
 * `ChannelPad`: zero-pads the channel axis, the parameter-free "option A" shortcut of CIFAR
 * ResNets (He et al. 2015) when a stage widens. Serializable, no weights.
 */
import * as tf from "@tensorflow/tfjs";

/** Settings of {@link ChannelPad}. */
export interface ChannelPadArgs {
  /** Zero channels added before the existing ones. */
  before: number;
  /** Zero channels added after the existing ones. */
  after: number;
  name?: string;
}

/** `[b,h,w,c] → [b,h,w,before+c+after]` with zeros in the new channels. */
export class ChannelPad extends tf.layers.Layer {
  /** Registered class name, stored in saved topologies. */
  static className = "ChannelPad";
  readonly before: number;
  readonly after: number;

  constructor(args: ChannelPadArgs) {
    super({ name: args.name });
    this.before = args.before;
    this.after = args.after;
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    const c = s[s.length - 1];
    return [...s.slice(0, -1), c === null ? null : c + this.before + this.after];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const pads = x.shape.map(() => [0, 0] as [number, number]);
    pads[pads.length - 1] = [this.before, this.after];
    return tf.pad(x, pads);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), before: this.before, after: this.after };
  }
}
tf.serialization.registerClass(ChannelPad);
