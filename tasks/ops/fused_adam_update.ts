/**
 * The Adam/AdamW step of one variable as one op, for backends that register its kernel.
 * tasks/train/create_optimizer.ts runs it where available and its tfjs ops elsewhere.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TensorInfo } from "@tensorflow/tfjs-core";

/**
 * Kernel a backend may register: inputs `w, g, m, v`, attrs {@linkcode FusedAdamOptions};
 * outputs `[w1, m1, v1]` (native and wasm have it).
 */
export const fusedAdamKernelName = "CnnlabFusedAdam";

/** Hyper-parameters of one {@linkcode fusedAdamUpdate}, as in tasks/train/create_optimizer.ts. */
export interface FusedAdamOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr / (1 − beta1^t). */
  stepSize: number;
  /** √(1 − beta2^t). */
  biasCorrection2: number;
  /** L2 weight decay added to the gradient (adam). Default 0. */
  l2?: number;
  /** Factor applied to the weights before the step (adamw: 1 − lr·wd). Default 1. */
  baseScale?: number;
}

/**
 * The Adam step of one variable in a single kernel:
 * g' = g + l2·w; m1 = β1·m + (1−β1)·g'; v1 = β2·v + (1−β2)·g'²;
 * w1 = baseScale·w − stepSize · m1 / (√v1 / biasCorrection2 + eps).
 * Every operation rounds to float32 in the order of the equivalent tfjs ops, so the results
 * equal theirs bit for bit.
 * @returns [w1, m1, v1] on a backend that registers the kernel, or null on any other backend
 * (then run the tfjs ops instead).
 */
export function fusedAdamUpdate(
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  options: FusedAdamOptions,
): [tf.Tensor, tf.Tensor, tf.Tensor] | null {
  if (tf.getKernel(fusedAdamKernelName, tf.getBackend()) === undefined) return null;
  const attrs = { ...options } as unknown as tf.NamedAttrMap;
  const out = tf.engine().runKernel(fusedAdamKernelName, { w, g, m, v }, attrs) as tf.Tensor[];
  return [out[0], out[1], out[2]];
}

/** Throws unless `w`, `g`, `m` and `v` are float32 of one shape (every kernel's precondition). */
export function checkFusedAdamInputs(w: TensorInfo, g: TensorInfo, m: TensorInfo, v: TensorInfo) {
  for (const t of [g, m, v]) {
    if (t.dtype !== "float32" || w.dtype !== "float32" || t.shape.join() !== w.shape.join()) {
      throw new Error(
        `Cannot run ${fusedAdamKernelName} as w, g, m and v must be float32 of one shape: ` +
          `got [${w.shape}] ${w.dtype} and [${t.shape}] ${t.dtype}`,
      );
    }
  }
}
