/**
 * Multi-threaded XNNPACK for tfjs-backend-wasm under Deno.
 *
 * tfjs-backend-wasm ships a threaded SIMD build (Emscripten pthreads) but never uses it under
 * Deno: Deno looks like Node (`process` exists), the backend turns threads off on Node, and
 * Emscripten's Node path would start `worker_threads` on a blob: URL, which Deno refuses. The
 * backend also sizes its thread pool as half of `os.cpus()` (to skip hyper-threads), which is 1
 * on a 2-core machine. This module works around all three, only while the backend starts:
 * - the multithread flag is set to true,
 * - `worker_threads.Worker` starts `_wasm_pthread_worker.js`, a bootstrap that runs
 *   Emscripten's browser worker script with browser-like globals,
 * - `os.cpus()` reports twice the requested thread count.
 * Emscripten keeps the workers of running pthreads ref'd; {@linkcode unrefWasmThreads} unrefs
 * them once the backend is up, so they do not keep the process alive.
 * @module
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import workerThreads from "node:worker_threads";
import { env } from "@tensorflow/tfjs-core";
import { setThreadsCount } from "@tensorflow/tfjs-backend-wasm";

const BOOTSTRAP = fileURLToPath(new URL("./_wasm_pthread_worker.js", import.meta.url));

/**
 * Arranges for the wasm backend, when it next initializes, to use the threaded SIMD build with
 * `threads` XNNPACK threads (1 = the single-threaded SIMD build). Must run before the first
 * `tf.setBackend("wasm")`; afterwards the thread count is fixed for the process.
 *
 * @returns a function that undoes the global patches; call it once the backend is ready.
 */
export function enableWasmThreads(threads: number): () => void {
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new Error(
      `Cannot use ${threads} wasm threads: the thread count must be an integer from 1 to 8 (tfjs-backend-wasm pre-starts 8 workers)`,
    );
  }
  if (threads === 1) {
    env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    return () => {};
  }
  env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  setThreadsCount(threads);
  const wt = workerThreads as { Worker: typeof workerThreads.Worker };
  const originalWorker = wt.Worker;
  const originalGlobalWorker = globalThis.Worker;
  const originalCpus = os.cpus;
  class PthreadWorker extends originalWorker {
    constructor(script: string | URL) {
      super(BOOTSTRAP, { workerData: { script: String(script) } });
    }
  }
  wt.Worker = PthreadWorker;
  const cpu = originalCpus()[0];
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => Array.from({ length: 2 * threads }, () => cpu);
  return () => {
    wt.Worker = originalWorker;
    (os as { cpus: () => os.CpuInfo[] }).cpus = originalCpus;
    // Emscripten's Node path also assigns the worker class to the global `Worker`.
    globalThis.Worker = originalGlobalWorker;
  };
}

/**
 * Lets the process exit while XNNPACK's pthreads (which never end) are alive: Emscripten refs
 * the worker of every running pthread. Call once the wasm backend has started.
 */
export function unrefWasmThreads(backend: unknown): void {
  const pthread =
    (backend as { wasm?: { PThread?: { runningWorkers: unknown[]; unusedWorkers: unknown[] } } })
      .wasm?.PThread;
  if (pthread === undefined) return;
  for (const worker of [...pthread.runningWorkers, ...pthread.unusedWorkers]) {
    (worker as { unref?: () => void }).unref?.();
  }
}
