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
import { depthwiseBackpropFilterConfig } from "./wasm/depthwise_backprop_filter.ts";
import { depthwiseBackpropInputConfig } from "./wasm/depthwise_backprop_input.ts";

/** The kernels {@linkcode registerWasmKernels} installs for backend `wasm`. */
export const WASM_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

let registered = false;

/**
 * Registers the composed gradient kernels for backend `wasm`, replacing the backend's own
 * (slow) `Conv2DBackpropInput`. Idempotent. Call before or after the backend initializes.
 * @returns the names of the kernels it installed (empty when already done).
 */
export function registerWasmKernels(): string[] {
  if (registered) return [];
  registered = true;
  for (const config of WASM_KERNELS) {
    if (getKernel(config.kernelName, "wasm") !== undefined) {
      unregisterKernel(config.kernelName, "wasm");
    }
    registerKernel(config);
  }
  return WASM_KERNELS.map((k) => k.kernelName);
}
