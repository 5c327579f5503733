/** The fused Adam kernel of tasks/ops/fused_adam_update.ts on `native`: one shim pass (cn_adam). */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import {
  checkFusedAdamInputs,
  fusedAdamKernelName,
  type FusedAdamOptions,
} from "../../ops/fused_adam_update.ts";
import { packAdamParams } from "./_abi.ts";
import { f32, nativeKernel, type NativeKernelArgs, output } from "./_kernel_utils.ts";

function fusedAdam(args: NativeKernelArgs): TensorInfo[] {
  const { w, g, m, v } = args.inputs;
  const o = args.attrs as unknown as FusedAdamOptions;
  checkFusedAdamInputs(w, g, m, v);
  const backend = args.backend;
  const n = w.shape.reduce((a, b) => a * b, 1);
  const [w1, m1, v1] = [backend.allocFloat32(n), backend.allocFloat32(n), backend.allocFloat32(n)];
  const p = packAdamParams({
    n,
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    stepSize: o.stepSize,
    biasCorrection2: o.biasCorrection2,
    l2: o.l2 ?? 0,
    baseScale: o.baseScale ?? 1,
    oneMinusBeta1: 1 - o.beta1,
    oneMinusBeta2: 1 - o.beta2,
  });
  backend.native.check(
    backend.native.symbols.cn_adam(
      p,
      f32(backend, w),
      f32(backend, g),
      f32(backend, m),
      f32(backend, v),
      w1,
      m1,
      v1,
    ),
  );
  return [output(backend, w.shape, w1), output(backend, w.shape, m1), output(backend, w.shape, v1)];
}

/** The fused Adam kernel config registered under `native`. */
export const fusedAdamKernels: KernelConfig[] = [nativeKernel(fusedAdamKernelName, fusedAdam)];
