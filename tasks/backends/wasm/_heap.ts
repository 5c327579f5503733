/**
 * Direct access to the wasm backend's heap, for the few kernels that are plain memory moves.
 * @module
 */
import type { DataType, KernelBackend, TensorInfo } from "@tensorflow/tfjs-core";

/** The parts of tfjs-backend-wasm's `BackendWasm` these kernels use. */
interface WasmBackendHeap {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** A new output tensor of the wasm backend. */
export function makeOutput(backend: KernelBackend, shape: number[], dtype: DataType): TensorInfo {
  return (backend as unknown as WasmBackendHeap).makeOutput(shape, dtype);
}

/** A typed-array view of `info`'s data in the wasm heap (valid until the next allocation). */
export function heapView(
  backend: KernelBackend,
  info: TensorInfo,
): Float32Array | Int32Array | Uint8Array {
  return (backend as unknown as WasmBackendHeap).typedArrayFromHeap(info);
}
