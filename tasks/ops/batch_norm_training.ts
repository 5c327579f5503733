/**
 * Training-mode batch normalization as one differentiable op.
 *
 * tfjs-layers builds it from `moments` and `batchNorm`, and autodiff then walks ~25 full-size
 * element-wise kernels per layer (half of a LeNet training step on the native backend). Here the
 * gradient is the closed form PyTorch uses, and a backend that registers the two kernels below
 * runs each direction in a single kernel; every other backend composes tfjs ops.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Kernel a backend may register: inputs `x, scale, offset, movingMean, movingVariance`, attrs
 * `varianceEpsilon, momentum`; outputs `[y, mean, variance, newMovingMean, newMovingVariance]`
 * (statistics per channel of the last axis; `variance` biased, the moving one unbiased).
 */
export const BATCH_NORM_TRAINING = "CnnlabBatchNormTraining";

/**
 * Kernel a backend may register: inputs `x, dy, mean, variance, scale`, attr `varianceEpsilon`;
 * outputs `[dx, dscale, doffset]`.
 */
export const BATCH_NORM_TRAINING_GRAD = "CnnlabBatchNormTrainingGrad";

/** Settings of {@linkcode batchNormTraining}. */
export interface BatchNormTrainingOptions {
  /** Added to the variance before the square root (PyTorch's default 1e-5). */
  epsilon: number;
  /** Weight of the batch statistic in the moving averages, PyTorch's convention (0.1). */
  momentum: number;
}

/** What {@linkcode batchNormTraining} returns; the caller disposes all three. */
export interface BatchNormTrainingResult {
  y: tf.Tensor;
  /** `(1 − momentum)·movingMean + momentum·mean`. */
  movingMean: tf.Tensor1D;
  /** `(1 − momentum)·movingVariance + momentum·unbiased variance`, as PyTorch keeps it. */
  movingVariance: tf.Tensor1D;
}

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/**
 * Normalizes `x` over every axis but the last with the batch's own statistics, then scales and
 * shifts; differentiable in `x`, `scale` and `offset`. Also returns the updated moving averages
 * (not differentiated), as `nn.BatchNorm2d` in training mode does.
 *
 * @param x `[..., c]` float32
 * @param scale, offset, movingMean, movingVariance `[c]`
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  movingMean: tf.Tensor1D,
  movingVariance: tf.Tensor1D,
  options: BatchNormTrainingOptions,
): BatchNormTrainingResult {
  const { epsilon, momentum } = options;
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / (x.shape[x.shape.length - 1] || 1);
  const fused = hasKernel(BATCH_NORM_TRAINING) && hasKernel(BATCH_NORM_TRAINING_GRAD);
  let moving: [tf.Tensor1D, tf.Tensor1D] | null = null;

  const forward = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    let y: tf.Tensor, mean: tf.Tensor1D, variance: tf.Tensor1D;
    if (fused) {
      const out = tf.engine().runKernel(
        BATCH_NORM_TRAINING,
        { x: xs, scale: g, offset: b, movingMean, movingVariance },
        { varianceEpsilon: epsilon, momentum },
      ) as tf.Tensor[];
      [y, mean, variance] = out as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
      moving = [tf.keep(out[3]) as tf.Tensor1D, tf.keep(out[4]) as tf.Tensor1D];
    } else {
      ({ mean, variance } = tf.moments(xs, axes) as { mean: tf.Tensor1D; variance: tf.Tensor1D });
      y = tf.batchNorm(xs, mean, variance, b, g, epsilon);
      const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
      moving = [
        tf.keep(tf.add(tf.mul(movingMean, 1 - momentum), tf.mul(mean, momentum))),
        tf.keep(tf.add(tf.mul(movingVariance, 1 - momentum), tf.mul(unbiased, momentum))),
      ];
    }
    save([xs, g, mean, variance]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv] = saved;
        if (fused) {
          return tf.engine().runKernel(
            BATCH_NORM_TRAINING_GRAD,
            { x: sx, dy, mean: sm, variance: sv, scale: sg },
            { varianceEpsilon: epsilon },
          ) as tf.Tensor[];
        }
        return composedGradient(sx, dy, sm, sv, sg, epsilon, axes, count);
      },
    };
  });
  const y = forward(x, scale, offset);
  const [newMean, newVariance] = moving!;
  return { y, movingMean: newMean, movingVariance: newVariance };
}

// dx = scale·invStd·(dy − Σdy/n − x̂·Σ(dy·x̂)/n), dscale = Σ(dy·x̂), doffset = Σdy.
function composedGradient(
  x: tf.Tensor,
  dy: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  scale: tf.Tensor,
  epsilon: number,
  axes: number[],
  count: number,
): tf.Tensor[] {
  const invStd = tf.rsqrt(tf.add(variance, epsilon));
  const xhat = tf.mul(tf.sub(x, mean), invStd);
  const doffset = tf.sum(dy, axes);
  const dscale = tf.sum(tf.mul(dy, xhat), axes);
  const centered = tf.sub(tf.sub(dy, tf.div(doffset, count)), tf.mul(xhat, tf.div(dscale, count)));
  const dx = tf.mul(centered, tf.mul(scale, invStd));
  return [dx, dscale, doffset];
}
