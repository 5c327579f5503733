/**
 * The fused Adam kernel of tasks/backends/native/fused_adam_update.ts for the wasm backend: one
 * JS pass per variable instead of ~11 element-wise kernels (120 kernel calls per LeNet step).
 * Each operation rounds to float32 (`Math.fround`) in the order of the tfjs ops it replaces, so
 * the results equal theirs bit for bit.
 * @module
 */
import type { KernelBackend, KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { fusedAdamKernelName, type FusedAdamOptions } from "../native/fused_adam_update.ts";
import { heapView, makeOutput } from "./_heap.ts";

const f = Math.fround;

function fusedAdam(
  args: { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs: unknown },
): TensorInfo[] {
  const { inputs: { w, g, m, v }, backend } = args;
  const o = args.attrs as FusedAdamOptions;
  for (const t of [g, m, v]) {
    if (t.dtype !== "float32" || w.dtype !== "float32" || t.shape.join() !== w.shape.join()) {
      throw new Error(
        `Cannot run ${fusedAdamKernelName} as w, g, m and v must be float32 of one shape: ` +
          `got [${w.shape}] ${w.dtype} and [${t.shape}] ${t.dtype}`,
      );
    }
  }
  const outs = [0, 1, 2].map(() => makeOutput(backend, w.shape, "float32"));
  const [ws, gs, ms, vs] = [w, g, m, v].map((t) => heapView(backend, t) as Float32Array);
  const [w1, m1, v1] = outs.map((t) => heapView(backend, t) as Float32Array);
  // tfjs turns each JS number into a float32 scalar; 1 − β is taken in double first.
  const [beta1, beta2, eps, step, bc2] = [o.beta1, o.beta2, o.eps, o.stepSize, o.biasCorrection2]
    .map(f);
  const [oneMinusB1, oneMinusB2] = [f(1 - o.beta1), f(1 - o.beta2)];
  const l2 = f(o.l2 ?? 0);
  const baseScale = f(o.baseScale ?? 1);
  for (let i = 0; i < ws.length; i++) {
    const gi = l2 !== 0 ? f(gs[i] + f(ws[i] * l2)) : gs[i];
    const mi = f(f(ms[i] * beta1) + f(gi * oneMinusB1));
    const vi = f(f(vs[i] * beta2) + f(f(gi * gi) * oneMinusB2));
    const denom = f(f(f(Math.sqrt(vi)) / bc2) + eps);
    const base = baseScale !== 1 ? f(ws[i] * baseScale) : ws[i];
    m1[i] = mi;
    v1[i] = vi;
    w1[i] = f(base - f(f(mi / denom) * step));
  }
  return outs;
}

/** Registration record of the fused Adam kernel for backend `wasm`. */
export const fusedAdamConfig: KernelConfig = {
  kernelName: fusedAdamKernelName,
  backendName: "wasm",
  kernelFunc: fusedAdam as unknown as KernelConfig["kernelFunc"],
};
