/**
 * `Dropout`: PyTorch's `nn.Dropout` (drop `rate` of the values in training, scale the rest by
 * 1 / (1 − rate); identity in inference) on {@linkcode dropout} of tasks/ops/dropout.ts, whose mask
 * is recomputed from a seed instead of drawn value by value and stored. Each training call draws
 * its seed from `Math.random`, which the trainer seeds per (seed, epoch, batch), so runs repeat
 * exactly. Serializable.
 */
import * as tf from "@tensorflow/tfjs";
import { dropout } from "../ops/dropout.ts";

/** Settings of {@link Dropout}. */
export interface DropoutArgs {
  name?: string;
  /** Fraction of values dropped in training, in [0, 1). */
  rate: number;
}

/** Dropout over every value of its input. */
export class Dropout extends tf.layers.Layer {
  /** Registered class name, stored in saved topologies (tfjs-layers' own is `Dropout`). */
  static className = "CnnlabDropout";
  readonly rate: number;

  constructor(args: DropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`Dropout '${args.name}' needs a rate in [0, 1), got ${args.rate}`);
    }
    this.rate = args.rate;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return x;
    return dropout(x, this.rate, Math.floor(Math.random() * 2 ** 32));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
tf.serialization.registerClass(Dropout);
