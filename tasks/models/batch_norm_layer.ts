/**
 * `BatchNorm`: PyTorch's `nn.BatchNorm1d/2d` over the channel (last) axis, with the moving
 * variance kept unbiased as PyTorch does. Training mode runs {@linkcode batchNormTraining}, one
 * op with a closed-form gradient (and one kernel per direction on backends that provide it),
 * instead of tfjs-layers' moments-and-autodiff composition. Serializable.
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormTraining } from "../ops/batch_norm_training.ts";

/** Settings of {@link BatchNorm}. */
export interface BatchNormArgs {
  name?: string;
  /** PyTorch's convention: weight of the batch statistic in the moving averages. Default 0.1. */
  momentum?: number;
  /** Default 1e-5. */
  epsilon?: number;
}

type LayerVariable = ReturnType<tf.layers.Layer["addWeight"]>;

/** Batch normalization with trainable `gamma`, `beta` and moving `moving_mean`, `moving_variance`. */
export class BatchNorm extends tf.layers.Layer {
  /** Registered class name, stored in saved topologies. */
  static className = "BatchNorm";
  readonly momentum: number;
  readonly epsilon: number;
  private gamma!: LayerVariable;
  private beta!: LayerVariable;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: BatchNormArgs = {}) {
    super({ name: args.name });
    this.momentum = args.momentum ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = s[s.length - 1];
    if (c === null) {
      throw new Error(`BatchNorm '${this.name}' needs a known channel count, got shape [${s}]`);
    }
    const init = (kind: "zeros" | "ones") =>
      kind === "ones" ? tf.initializers.ones() : tf.initializers.zeros();
    this.gamma = this.addWeight("gamma", [c], "float32", init("ones"), undefined, true);
    this.beta = this.addWeight("beta", [c], "float32", init("zeros"), undefined, true);
    this.movingMean = this.addWeight(
      "moving_mean",
      [c],
      "float32",
      init("zeros"),
      undefined,
      false,
    );
    this.movingVariance = this.addWeight(
      "moving_variance",
      [c],
      "float32",
      init("ones"),
      undefined,
      false,
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const gamma = this.gamma.read() as tf.Tensor1D;
    const beta = this.beta.read() as tf.Tensor1D;
    const movingMean = this.movingMean.read() as tf.Tensor1D;
    const movingVariance = this.movingVariance.read() as tf.Tensor1D;
    if (!kwargs.training) {
      return tf.batchNorm(x, movingMean, movingVariance, beta, gamma, this.epsilon);
    }
    const r = batchNormTraining(x, gamma, beta, movingMean, movingVariance, {
      epsilon: this.epsilon,
      momentum: this.momentum,
    });
    this.movingMean.write(r.movingMean);
    this.movingVariance.write(r.movingVariance);
    // The variables now share the new values' storage; these handles are no longer needed.
    tf.dispose([r.movingMean, r.movingVariance]);
    return r.y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(BatchNorm);
