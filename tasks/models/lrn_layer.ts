/**
 * `LocalResponseNorm`: PyTorch's `nn.LocalResponseNorm(size, alpha, beta, k)` as a serializable
 * TF.js layer (AlexNet and GoogLeNet in their classic forms). No weights.
 */
import * as tf from "@tensorflow/tfjs";

/** Settings of {@link LocalResponseNorm}, PyTorch's names and defaults. */
export interface LocalResponseNormArgs {
  /** Neighbouring channels summed over (odd). Default 5. */
  size?: number;
  /** Default 1e-4. */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 2 (AlexNet's k; PyTorch's default is 1). */
  k?: number;
  name?: string;
}

/** `b_c = a_c / (k + alpha/size · Σ_{|c'-c| ≤ size/2} a_{c'}²)^beta` over channels. */
export class LocalResponseNorm extends tf.layers.Layer {
  /** Registered class name, stored in saved topologies. */
  static className = "LocalResponseNorm";
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(args: LocalResponseNormArgs = {}) {
    super({ name: args.name });
    this.size = args.size ?? 5;
    this.alpha = args.alpha ?? 1e-4;
    this.beta = args.beta ?? 0.75;
    this.k = args.k ?? 2;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    // TF's alpha multiplies the plain sum; PyTorch's multiplies the mean over `size` channels.
    return tf.localResponseNormalization(
      x,
      Math.floor(this.size / 2),
      this.k,
      this.alpha / this.size,
      this.beta,
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      size: this.size,
      alpha: this.alpha,
      beta: this.beta,
      k: this.k,
    };
  }
}
tf.serialization.registerClass(LocalResponseNorm);
