/**
 * The SGD step of one variable (PyTorch's rule: L2 weight decay, momentum, Nesterov) as one op,
 * for backends that register its kernel. tasks/train/create_optimizer.ts runs it where available
 * and its tfjs ops elsewhere: those are six full-size kernels and two assignments per variable,
 * each with tfjs' per-kernel bookkeeping, which on small models (lab report 001's DenseNet: 41
 * variables, ~240 kernel calls of a ~500-call step) costs more than the arithmetic.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TensorInfo } from "@tensorflow/tfjs-core";

/**
 * Kernel a backend may register: inputs `w, g` and, with momentum, `buf`; attrs
 * {@linkcode FusedSgdOptions}; outputs `[w1]`, or `[w1, buf1]` with momentum (native has it).
 */
export const fusedSgdKernelName = "CnnlabFusedSgd";

/** Hyper-parameters of one {@linkcode fusedSgdUpdate}, as in tasks/train/create_optimizer.ts. */
export interface FusedSgdOptions {
  lr: number;
  /** 0: plain SGD, no momentum buffer. */
  momentum: number;
  /** L2 weight decay added to the gradient; applied only when > 0. */
  weightDecay: number;
  nesterov: boolean;
}

/**
 * The SGD step of one variable in a single kernel:
 * g' = g + wd·w (wd > 0); buf1 = momentum·buf + g'; u = nesterov ? g' + momentum·buf1 : buf1
 * (u = g' without momentum); w1 = w − lr·u. Every operation rounds to float32 in the order of the
 * equivalent tfjs ops, so the results equal theirs bit for bit.
 * @returns [w1] or [w1, buf1] on a backend that registers the kernel, or null on any other
 * backend (then run the tfjs ops instead).
 */
export function fusedSgdUpdate(
  w: tf.Tensor,
  g: tf.Tensor,
  buf: tf.Tensor | null,
  options: FusedSgdOptions,
): tf.Tensor[] | null {
  if (tf.getKernel(fusedSgdKernelName, tf.getBackend()) === undefined) return null;
  if ((options.momentum > 0) !== (buf !== null)) {
    throw new Error(
      `Cannot run ${fusedSgdKernelName}: a momentum buffer goes with momentum > 0 and only then ` +
        `(momentum ${options.momentum}, buffer ${buf === null ? "missing" : "given"})`,
    );
  }
  const inputs: tf.NamedTensorMap = buf === null ? { w, g } : { w, g, buf };
  const attrs = { ...options } as unknown as tf.NamedAttrMap;
  return tf.engine().runKernel(fusedSgdKernelName, inputs, attrs) as tf.Tensor[];
}

/** Throws unless `w`, `g` (and `buf`) are float32 of one shape (every kernel's precondition). */
export function checkFusedSgdInputs(w: TensorInfo, g: TensorInfo, buf?: TensorInfo) {
  for (const t of buf === undefined ? [g] : [g, buf]) {
    if (t.dtype !== "float32" || w.dtype !== "float32" || t.shape.join() !== w.shape.join()) {
      throw new Error(
        `Cannot run ${fusedSgdKernelName} as w, g and buf must be float32 of one shape: ` +
          `got [${w.shape}] ${w.dtype} and [${t.shape}] ${t.dtype}`,
      );
    }
  }
}
