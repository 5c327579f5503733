/** Starts backend `wasm` with the composed gradient kernels and XNNPACK threads. @module */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import type { BackendChoice } from "./backend_module.ts";
import { enableWasmThreads, unrefWasmThreads } from "./enable_wasm_threads.ts";
import { registerWasmKernels } from "./register_wasm_kernels.ts";
import { selectBackend } from "./_select_backend.ts";

let started = false;

/**
 * XNNPACK threads: `$CNNLAB_WASM_THREADS`, else `$CNNLAB_THREADS`, else the logical cores
 * (capped at 8). Fixed at the first start of the wasm backend in a process.
 */
function defaultWasmThreads(): number {
  const fromEnv = Deno.env.get("CNNLAB_WASM_THREADS") ?? Deno.env.get("CNNLAB_THREADS");
  if (fromEnv !== undefined) return Number(fromEnv);
  return Math.min(Math.max(navigator.hardwareConcurrency || 1, 1), 8);
}

/**
 * Selects `wasm` (the first time: registers the composed kernels and starts `threads` XNNPACK
 * threads, default {@linkcode defaultWasmThreads}).
 */
export async function startBackend(threads = defaultWasmThreads()): Promise<BackendChoice> {
  registerWasmKernels();
  if (!started) {
    const restore = enableWasmThreads(threads);
    try {
      if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') returned false");
    } finally {
      restore();
    }
    unrefWasmThreads(tf.findBackend("wasm"));
    started = true;
  }
  const n = getThreadsCount();
  const detail = `XNNPACK SIMD, ${n} thread${n === 1 ? "" : "s"}, composed conv gradients`;
  await selectBackend("wasm", detail);
  return { name: "wasm", detail };
}
