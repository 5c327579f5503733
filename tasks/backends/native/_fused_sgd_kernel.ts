/** The fused SGD kernel of tasks/ops/fused_sgd_update.ts on `native`: one shim pass (cn_sgd). */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import {
  checkFusedSgdInputs,
  fusedSgdKernelName,
  type FusedSgdOptions,
} from "../../ops/fused_sgd_update.ts";
import { packSgdParams } from "./_abi.ts";
import { f32, nativeKernel, type NativeKernelArgs, output } from "./_kernel_utils.ts";

function fusedSgd(args: NativeKernelArgs): TensorInfo[] {
  const { w, g, buf } = args.inputs;
  const o = args.attrs as unknown as FusedSgdOptions;
  const withMomentum = o.momentum > 0;
  if (withMomentum !== (buf !== undefined)) {
    throw new Error(`Cannot run ${fusedSgdKernelName}: momentum ${o.momentum} needs a buffer`);
  }
  checkFusedSgdInputs(w, g, buf);
  const backend = args.backend;
  const n = w.shape.reduce((a, b) => a * b, 1);
  const w1 = backend.allocFloat32(n);
  const buf1 = withMomentum ? backend.allocFloat32(n) : null;
  const p = packSgdParams({
    n,
    applyDecay: o.weightDecay > 0 ? 1 : 0,
    hasMomentum: withMomentum ? 1 : 0,
    nesterov: o.nesterov ? 1 : 0,
    lr: o.lr,
    momentum: o.momentum,
    weightDecay: o.weightDecay,
  });
  const ws = f32(backend, w);
  // Without momentum the shim reads and writes no buffer; w and w1 stand in for them.
  backend.native.check(
    backend.native.symbols.cn_sgd(
      p,
      ws,
      f32(backend, g),
      buf === undefined ? ws : f32(backend, buf),
      w1,
      buf1 ?? w1,
    ),
  );
  const out = [output(backend, w.shape, w1)];
  if (buf1 !== null) out.push(output(backend, w.shape, buf1));
  return out;
}

/** The fused SGD kernel config registered under `native`. */
export const fusedSgdKernels: KernelConfig[] = [nativeKernel(fusedSgdKernelName, fusedSgd)];
