import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { f32, nativeKernel, type NativeKernelArgs, output } from "./_kernel_utils.ts";

/** Name of the fused Adam kernel; the `native` and `wasm` backends have it. */
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
 * The Adam step of one variable in a single native pass:
 * g' = g + l2·w; m1 = β1·m + (1−β1)·g'; v1 = β2·v + (1−β2)·g'²;
 * w1 = baseScale·w − stepSize · m1 / (√v1 / biasCorrection2 + eps).
 * Every operation rounds to float32 in the order of the equivalent tfjs ops, so the results
 * equal theirs bit for bit.
 * @returns [w1, m1, v1] on a backend that registers the kernel (native, wasm), or null on any
 * other backend (then run the tfjs ops instead).
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

function fusedAdam(args: NativeKernelArgs): TensorInfo[] {
  const { w, g, m, v } = args.inputs;
  const o = args.attrs as unknown as FusedAdamOptions;
  for (const t of [g, m, v]) {
    if (t.dtype !== "float32" || w.dtype !== "float32" || t.shape.join() !== w.shape.join()) {
      throw new Error(
        `Cannot run ${fusedAdamKernelName} as w, g, m and v must be float32 of one shape: ` +
          `got [${w.shape}] ${w.dtype} and [${t.shape}] ${t.dtype}`,
      );
    }
  }
  const backend = args.backend;
  const n = w.shape.reduce((a, b) => a * b, 1);
  const [w1, m1, v1] = [backend.allocFloat32(n), backend.allocFloat32(n), backend.allocFloat32(n)];
  const h = Float32Array.from([
    o.beta1,
    o.beta2,
    o.eps,
    o.stepSize,
    o.biasCorrection2,
    o.l2 ?? 0,
    o.baseScale ?? 1,
    1 - o.beta1,
    1 - o.beta2,
  ]);
  backend.native.check(
    backend.native.symbols.cn_adam(
      n,
      f32(backend, w),
      f32(backend, g),
      f32(backend, m),
      f32(backend, v),
      h,
      w1,
      m1,
      v1,
    ),
  );
  return [output(backend, w.shape, w1), output(backend, w.shape, m1), output(backend, w.shape, v1)];
}

/** The fused Adam kernel config registered under `native`. */
export const fusedAdamKernels: KernelConfig[] = [nativeKernel(fusedAdamKernelName, fusedAdam)];
