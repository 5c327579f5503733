/**
 * `Identity` for the wasm backend as a new reference to the same buffer, as the cpu backend does.
 * `tf.clone` and the tensors a custom gradient saves go through this kernel (before
 * tasks/backends/share_saved_tensors.ts, every tensor any gradient saved: 210 full-size copies per
 * ResNet-18 step), and the backend's own version copies the data each time. tfjs tensors are
 * immutable (a variable's `assign` swaps its buffer), so sharing is safe.
 * @module
 */
import {
  Identity,
  type KernelBackend,
  type KernelConfig,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { originalKernel } from "./_original_kernels.ts";

/** The wasm backend's reference counting, which `Reshape` uses the same way. */
interface RefCounting {
  incRef(dataId: TensorInfo["dataId"]): void;
}

/** `x` itself under a new reference. */
export function identity(args: { inputs: { x: TensorInfo }; backend: KernelBackend }): TensorInfo {
  const { inputs: { x }, backend } = args;
  if (x.dtype === "string") return originalKernel(Identity)(args as never) as TensorInfo;
  (backend as unknown as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Registration record of {@linkcode identity} for backend `wasm`. */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: "wasm",
  kernelFunc: identity as unknown as KernelConfig["kernelFunc"],
};
