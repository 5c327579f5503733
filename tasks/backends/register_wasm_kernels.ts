/**
 * Completes the wasm backend for training: composed gradient kernels.
 * @module
 */
import {
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterConfig } from "./wasm/conv2d_backprop_filter.ts";
import { conv2dBackpropInputConfig } from "./wasm/conv2d_backprop_input.ts";
import { conv2dForwardConfigs } from "./wasm/conv2d_forward.ts";
import { depthwiseBackpropFilterConfig } from "./wasm/depthwise_backprop_filter.ts";
import { depthwiseBackpropInputConfig } from "./wasm/depthwise_backprop_input.ts";
import { batchMatMulConfig, fusedMatMulConfig } from "./wasm/batch_mat_mul.ts";
import { batchNormTrainingConfigs } from "./wasm/batch_norm_training.ts";
import { broadcastArithmeticConfigs } from "./wasm/broadcast_arithmetic.ts";
import { fusedAdamConfig } from "./wasm/fused_adam.ts";
import { identityConfig } from "./wasm/identity.ts";
import { maxPoolGradConfig } from "./wasm/max_pool_grad.ts";
import { keepOriginalKernel } from "./wasm/_original_kernels.ts";
import { slicePadConfigs } from "./wasm/slice_pad.ts";
import { sumConfig } from "./wasm/sum.ts";
import { tileConfig } from "./wasm/tile.ts";

/** The kernels {@linkcode registerWasmKernels} installs for backend `wasm`. */
export const WASM_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  maxPoolGradConfig,
  sumConfig,
  tileConfig,
  ...batchNormTrainingConfigs,
  ...broadcastArithmeticConfigs,
  identityConfig,
  ...conv2dForwardConfigs,
  fusedAdamConfig,
  ...slicePadConfigs,
];

let registered = false;

/**
 * Registers the composed gradient kernels for backend `wasm` (the convolution gradients it
 * lacks) and replaces the backend's own kernels that are far slower than they need to be for
 * training: `Conv2DBackpropInput`, transposed `BatchMatMul`/`_FusedMatMul`, `MaxPoolGrad`,
 * `Tile`, `Sum` over leading axes, `Slice`, `PadV2`, broadcasting element-wise arithmetic,
 * `Identity` (which copied), convolutions on maps smaller than their filter; adds the kernels of
 * the ops in tasks/ops (training-mode batch norm, fused Adam). Idempotent. Call before or after
 * the backend initializes.
 * @returns the names of the kernels it installed (empty when already done).
 */
export function registerWasmKernels(): string[] {
  if (registered) return [];
  registered = true;
  for (const config of WASM_KERNELS) {
    keepOriginalKernel(config.kernelName);
    const original = getKernel(config.kernelName, "wasm");
    if (original !== undefined) unregisterKernel(config.kernelName, "wasm");
    // The replaced kernel's setup (its cwrap) must still run: some replacements delegate to it.
    registerKernel({ ...config, setupFunc: config.setupFunc ?? original?.setupFunc });
  }
  return WASM_KERNELS.map((k) => k.kernelName);
}
