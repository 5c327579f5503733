import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeLibrary } from "./_library.ts";

/**
 * The `native` tfjs backend: tfjs-backend-cpu's tensor storage (plain TypedArrays, so every cpu
 * kernel still works on it) plus the oneDNN shim that the heavy kernels call.
 */
export class NativeBackend extends MathBackendCPU {
  /** The opened shim; kernels call `native.symbols.*` and pass the status to `native.check`. */
  readonly native: NativeLibrary;

  constructor(native: NativeLibrary) {
    super();
    this.native = native;
  }

  /** Sets the OpenMP thread count of every later kernel (n <= 0 keeps it); returns the count. */
  setThreads(n: number): number {
    return this.native.symbols.cn_set_threads(n);
  }
}
