import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { DataId, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeLibrary } from "./_library.ts";

/** Options of {@linkcode NativeBackend}. */
export interface NativeBackendOptions {
  /** Most bytes of freed kernel outputs kept for reuse. Default 512 MiB. */
  poolBytes?: number;
}

// Below this size a fresh allocation is cheap and pooling only adds bookkeeping.
const minPooledLength = 4096;

/**
 * The `native` tfjs backend: tfjs-backend-cpu's tensor storage (plain TypedArrays, so every cpu
 * kernel still works on it) plus the oneDNN shim that the heavy kernels call.
 *
 * Native kernels take their outputs from a pool of freed outputs: a fresh 2 MB Float32Array
 * costs as much as the kernel that fills it (page faults and zeroing). A buffer goes back to
 * the pool only when nothing else can still see it: it was made by {@linkcode allocFloat32},
 * its tensor was disposed, and it never left through `readSync`/`read` (`dataSync()`,
 * `data()`) nor got shared with a cpu kernel's output (see {@linkcode markShared}).
 */
export class NativeBackend extends MathBackendCPU {
  /** The opened shim; kernels call `native.symbols.*` and pass the status to `native.check`. */
  readonly native: NativeLibrary;
  readonly #poolLimit: number;
  readonly #free = new Map<number, Float32Array[]>();
  readonly #own = new WeakSet<Float32Array>();
  readonly #shared = new WeakSet<ArrayBufferLike>();
  // Lazy outputs not computed yet → releases the inputs they hold.
  readonly #lazy = new Map<DataId, () => void>();
  #pooledBytes = 0;
  #lazyCreated = 0;
  #lazyComputed = 0;

  constructor(native: NativeLibrary, options: NativeBackendOptions = {}) {
    super();
    this.native = native;
    this.#poolLimit = options.poolBytes ?? 512 * 1024 * 1024;
  }

  /** Sets the OpenMP thread count of every later kernel (n <= 0 keeps it); returns the count. */
  setThreads(n: number): number {
    return this.native.symbols.cn_set_threads(n);
  }

  /** A float32 buffer of `length` for a kernel output; its contents are arbitrary. */
  allocFloat32(length: number): Float32Array {
    const list = this.#free.get(length);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.#pooledBytes -= reused.byteLength;
      return reused;
    }
    const fresh = new Float32Array(length);
    if (length >= minPooledLength) this.#own.add(fresh);
    return fresh;
  }

  /** Keeps `values`' memory out of the pool for good (something else may still read it). */
  markShared(values: unknown): void {
    if (ArrayBuffer.isView(values)) this.#shared.add(values.buffer);
  }

  /** Bytes currently waiting in the pool. */
  pooledBytes(): number {
    return this.#pooledBytes;
  }

  /**
   * A float32 tensor whose values `compute` produces on first read; if it is disposed unread, the
   * work never happens. Fused conv gradients compute the input gradient even of a model's first
   * layer, where nothing reads it (16 ms per VGG step). `deps` stay alive until then.
   */
  makeLazyTensorInfo(shape: number[], deps: TensorInfo[], compute: () => Float32Array): TensorInfo {
    const info = this.makeTensorInfo(shape, "float32", new Float32Array(0));
    const record = this.data.get(info.dataId) as { values?: unknown };
    for (const d of deps) this.incRef(d.dataId);
    const release = () => {
      for (const d of deps) this.disposeData(d.dataId);
    };
    const settle = (values: unknown) => {
      Object.defineProperty(record, "values", {
        value: values,
        writable: true,
        enumerable: true,
        configurable: true,
      });
      if (this.#lazy.delete(info.dataId)) release();
    };
    Object.defineProperty(record, "values", {
      enumerable: true,
      configurable: true,
      get: () => {
        const values = compute();
        this.#lazyComputed++;
        settle(values);
        return values;
      },
      set: settle,
    });
    this.#lazy.set(info.dataId, release);
    this.#lazyCreated++;
    return info;
  }

  /** True while `dataId` is a lazy tensor whose values were not computed yet. */
  isLazyPending(dataId: DataId): boolean {
    return this.#lazy.has(dataId);
  }

  /** How many lazy tensors were made and how many of them were ever computed. */
  lazyStats(): { created: number; computed: number } {
    return { created: this.#lazyCreated, computed: this.#lazyComputed };
  }

  override readSync(dataId: DataId) {
    const values = super.readSync(dataId);
    this.markShared(values);
    return values;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const pending = this.#lazy.get(dataId);
    if (pending !== undefined) {
      // Reading `values` here would run the computation the laziness exists to skip.
      const freed = super.disposeData(dataId, force);
      if (freed && !this.data.has(dataId) && this.#lazy.delete(dataId)) pending();
      return freed;
    }
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const freed = super.disposeData(dataId, force);
    if (freed && values instanceof Float32Array && !this.data.has(dataId)) this.#recycle(values);
    return freed;
  }

  override dispose(): void {
    this.#free.clear();
    this.#pooledBytes = 0;
    super.dispose();
  }

  #recycle(values: Float32Array): void {
    if (!this.#own.has(values) || this.#shared.has(values.buffer)) return;
    if (this.#pooledBytes + values.byteLength > this.#poolLimit) return;
    let list = this.#free.get(values.length);
    if (list === undefined) this.#free.set(values.length, list = []);
    list.push(values);
    this.#pooledBytes += values.byteLength;
  }
}
