import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeBackend } from "./native_backend.ts";

/**
 * Wraps a cpu kernel so that when one of its outputs is a view of an input's memory (the cpu
 * Slice returns `subarray`s, for one), that memory is never recycled by the native backend's
 * buffer pool while the other tensor may still read it. An output that is the input's own record
 * (same data id, reference counted) shares nothing.
 */
export function withShareCheck(kernelFunc: KernelFunc): KernelFunc {
  return (args) => {
    const out = kernelFunc(args);
    const backend = args.backend as NativeBackend;
    const inputs = Object.values(args.inputs).filter((t): t is TensorInfo => t != null);
    const buffers = new Set<ArrayBufferLike>();
    const inputIds = new Set(inputs.map((t) => t.dataId));
    for (const t of inputs) {
      // A lazy tensor has no memory yet to share, and reading it would compute it.
      if (backend.isLazyPending(t.dataId)) continue;
      const v = backend.data.get(t.dataId)?.values;
      if (ArrayBuffer.isView(v)) buffers.add(v.buffer);
    }
    if (buffers.size === 0) return out;
    for (const t of Array.isArray(out) ? out : [out]) {
      // Identity, Reshape and a same-type Cast return their input's own record with one more
      // reference: the backend frees it once, after the last reference, so nothing is shared.
      if (inputIds.has(t.dataId) || backend.isLazyPending(t.dataId)) continue;
      const v = backend.data.get(t.dataId)?.values;
      if (ArrayBuffer.isView(v) && buffers.has(v.buffer)) backend.markShared(v);
    }
    return out;
  };
}
