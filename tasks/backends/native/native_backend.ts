import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { DataId, TensorInfo } from "@tensorflow/tfjs-core";
import { UnaryOp } from "./_abi.ts";
import type { NativeLibrary } from "./_library.ts";

/** Options of {@linkcode NativeBackend}. */
export interface NativeBackendOptions {
  /**
   * Bytes of kernel outputs, alive and pooled together, the pool may always fill up to; it may
   * also fill up to the most bytes of kernel outputs ever alive at once (a training step's
   * working set). Default 64 MiB; 0 turns pooling off.
   */
  poolBytes?: number;
}

// Below this size a fresh allocation is cheap and pooling only adds bookkeeping.
const minPooledLength = 4096;

/**
 * The `native` tfjs backend: tfjs-backend-cpu's tensor storage (plain TypedArrays, so every cpu
 * kernel still works on it) plus the oneDNN shim that the heavy kernels call.
 *
 * Native kernels take their outputs from a pool of freed outputs: a fresh Float32Array costs
 * more than the kernel that fills it (page faults and zeroing; on our VMs the first touch of
 * fresh memory ran at ~80 MB/s). A buffer goes back to the pool only when nothing else can still
 * see it: it was made by {@linkcode allocFloat32}, its tensor was disposed, and it never left
 * through `readSync`/`read` (`dataSync()`, `data()`) nor got shared with a cpu kernel's output
 * (see {@linkcode markShared}). Pooled and alive outputs together stay within the larger of
 * `poolBytes` and the most bytes of kernel outputs ever alive at once, so a training step's activations are reused by the next step
 * instead of being allocated again; past that, the sizes requested least recently go first.
 */
export class NativeBackend extends MathBackendCPU {
  /** The opened shim; kernels call `native.symbols.*` and pass the status to `native.check`. */
  readonly native: NativeLibrary;
  readonly #poolLimit: number;
  // Free buffers by length, in the order their lengths were last asked for (oldest first).
  readonly #free = new Map<number, Float32Array[]>();
  readonly #own = new WeakSet<Float32Array>();
  readonly #shared = new WeakSet<ArrayBufferLike>();
  // Lazy outputs not computed yet → releases the inputs they hold.
  readonly #lazy = new Map<DataId, () => void>();
  #pooledBytes = 0;
  // Bytes of pooled-size kernel outputs whose tensors are alive, and the most of them so far.
  #liveBytes = 0;
  #liveHighWater = 0;
  #lazyCreated = 0;
  #lazyComputed = 0;

  constructor(native: NativeLibrary, options: NativeBackendOptions = {}) {
    super();
    this.native = native;
    this.#poolLimit = options.poolBytes ?? 64 * 1024 * 1024;
  }

  /** Sets the OpenMP thread count of every later kernel (n <= 0 keeps it); returns the count. */
  setThreads(n: number): number {
    return this.native.symbols.cn_set_threads(n);
  }

  /** A float32 buffer of `length` for a kernel output; its contents are arbitrary. */
  allocFloat32(length: number): Float32Array {
    if (length < minPooledLength) return new Float32Array(length);
    this.#liveBytes += length * 4;
    if (this.#liveBytes > this.#liveHighWater) this.#liveHighWater = this.#liveBytes;
    const list = this.#free.get(length);
    if (list !== undefined) {
      // Most recently asked-for length last: eviction starts from the front.
      this.#free.delete(length);
      this.#free.set(length, list);
      const reused = list.pop();
      if (reused !== undefined) {
        this.#pooledBytes -= reused.byteLength;
        return reused;
      }
    } else if (this.#poolLimit > 0) {
      this.#free.set(length, []);
    }
    // A miss grows the alive bytes: pooled buffers of other lengths make room, so alive plus
    // pooled never passes the limit (else a step whose lengths change keeps both).
    this.#evictDownTo(this.#limit() - this.#liveBytes, length);
    const fresh = new Float32Array(length);
    this.#own.add(fresh);
    return fresh;
  }

  /** Keeps `values`' memory out of the pool for good (something else may still read it). */
  markShared(values: unknown): void {
    if (ArrayBuffer.isView(values)) this.#shared.add(values.buffer);
  }

  /**
   * Gives every pooled buffer back to the system and starts a new working set (the most bytes
   * alive at once restarts from what is alive now). For a change of phase: inference after
   * training needs other lengths, and training's pooled activations would otherwise stay
   * resident beside it. Returns the bytes released.
   */
  trimPool(): number {
    const released = this.#pooledBytes;
    this.#evictDownTo(0, -1);
    this.#liveHighWater = this.#liveBytes;
    return released;
  }

  /** Bytes currently waiting in the pool. */
  pooledBytes(): number {
    return this.#pooledBytes;
  }

  /**
   * Bytes of pooled-size kernel outputs alive now (`live`), the most alive at once so far
   * (`highWater`: the pool may grow to it) and bytes waiting in the pool (`pooled`).
   */
  memoryStats(): { live: number; highWater: number; pooled: number } {
    return { live: this.#liveBytes, highWater: this.#liveHighWater, pooled: this.#pooledBytes };
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

  /**
   * A float32 tensor of `shape` with no memory, for a gradient that reads only the shape of what
   * it saved (Add's, Concat's: tasks/backends/share_saved_tensors.ts). Reading its values is a
   * bug in that list, so it throws instead of computing anything.
   */
  makeShapeStub(shape: number[], kernelName: string): TensorInfo {
    return this.makeLazyTensorInfo(shape, [], () => {
      throw new Error(
        `Internal error: the gradient of ${kernelName} read the values of an input it was ` +
          `expected to read only the shape of; remove ${kernelName} from shapeOnlyGradients`,
      );
    });
  }

  /**
   * ReLU over `dataId`'s own values, overwriting them, when nothing else can see that memory: a
   * pooled-size output of a native kernel, computed, never read out nor shared, one reference.
   * For inference, whose ReLU input is never read again (tasks/train/apply_freeing.ts); the
   * record's reference count is the number of tensors on `dataId` (tfjs' Reshape, Identity and
   * clone add one). Returns whether it ran.
   */
  reluInPlace(dataId: DataId): boolean {
    if (!this.data.has(dataId) || this.#lazy.has(dataId)) return false;
    const record = this.data.get(dataId) as { values?: unknown; dtype: string; refCount: number };
    const values = record.values;
    if (record.dtype !== "float32" || record.refCount !== 1) return false;
    if (!(values instanceof Float32Array) || !this.#own.has(values)) return false;
    if (this.#shared.has(values.buffer)) return false;
    this.native.check(
      this.native.symbols.cn_unary(UnaryOp.RELU, values.length, values, values, 0),
    );
    return true;
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
    if (freed && values instanceof Float32Array && !this.data.has(dataId)) {
      if (this.#own.has(values)) this.#liveBytes -= values.byteLength;
      this.#recycle(values);
    }
    return freed;
  }

  override dispose(): void {
    this.#free.clear();
    this.#pooledBytes = 0;
    super.dispose();
  }

  // Alive plus pooled bytes stay within the larger of poolBytes and the working set.
  #limit(): number {
    return Math.max(this.#poolLimit, this.#liveHighWater);
  }

  // Releases pooled buffers, lengths asked for least recently first (never `keepLength`'s),
  // until at most `bytes` stay pooled.
  #evictDownTo(bytes: number, keepLength: number): void {
    for (const [length, list] of this.#free) {
      if (this.#pooledBytes <= bytes) break;
      if (length === keepLength) continue;
      while (list.length > 0 && this.#pooledBytes > bytes) {
        const evicted = list.pop()!;
        this.#pooledBytes -= evicted.byteLength;
        release(evicted);
      }
      if (list.length === 0) this.#free.delete(length);
    }
  }

  #recycle(values: Float32Array): void {
    if (!this.#own.has(values) || this.#shared.has(values.buffer)) return;
    // Alive plus pooled stays within the working set (or poolBytes): the pool only holds what
    // the step's own peak will ask for again.
    const limit = this.#limit() - this.#liveBytes;
    if (this.#poolLimit <= 0 || values.byteLength > limit) return release(values);
    this.#evictDownTo(limit - values.byteLength, values.length);
    if (this.#pooledBytes + values.byteLength > limit) return release(values);
    let list = this.#free.get(values.length);
    if (list === undefined) this.#free.set(values.length, list = []);
    list.push(values);
    this.#pooledBytes += values.byteLength;
  }
}

/**
 * Gives a buffer nothing else can see back to the system now (detaching it) instead of leaving it
 * to the garbage collector, which let ~0.8 GB of dead outputs pile up in a GoogLeNet step.
 */
function release(values: Float32Array): void {
  try {
    (values.buffer as ArrayBuffer).transfer(0);
  } catch {
    // A runtime without ArrayBuffer.prototype.transfer: the collector frees it later.
  }
}
