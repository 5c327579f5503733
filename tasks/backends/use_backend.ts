/**
 * Chooses and starts the tfjs backend a run asked for.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { BACKEND_NAMES, type BackendName } from "./backend_names.ts";
import { enableWasmThreads, unrefWasmThreads } from "./enable_wasm_threads.ts";
import { registerWasmKernels } from "./register_wasm_kernels.ts";
import { resolveBackend } from "./resolve_backend.ts";
import { shareSavedTensors } from "./share_saved_tensors.ts";

/** The backend in use. */
export interface BackendChoice {
  /** tfjs backend name: `tensorflow`, `webgpu`, `native`, `wasm` or `cpu`. */
  name: string;
  /** What runs it, e.g. `XNNPACK SIMD, 2 threads, composed conv gradients`. */
  detail: string;
  /** For `auto`: why each faster backend was passed over. */
  skipped?: string[];
}

/** Options of {@linkcode useBackend}. */
export interface UseBackendOptions {
  /**
   * XNNPACK threads for `wasm` (1–8). Default: `$CNNLAB_WASM_THREADS`, else the number of
   * logical cores (capped at 8). Fixed at the first start of the wasm backend in a process.
   */
  wasmThreads?: number;
  /** Where to print the choice. Default: nothing (the stages print it with their log). */
  log?: (line: string) => void;
}

let wasmStarted = false;

function defaultWasmThreads(): number {
  const fromEnv = Deno.env.get("CNNLAB_WASM_THREADS");
  if (fromEnv !== undefined) return Number(fromEnv);
  return Math.min(Math.max(navigator.hardwareConcurrency || 1, 1), 8);
}

async function startWasm(threads: number): Promise<string> {
  registerWasmKernels();
  if (!wasmStarted) {
    const restore = enableWasmThreads(threads);
    try {
      if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') returned false");
    } finally {
      restore();
    }
    unrefWasmThreads(tf.findBackend("wasm"));
    wasmStarted = true;
  } else if (!(await tf.setBackend("wasm"))) {
    throw new Error("Cannot switch to backend wasm: tf.setBackend('wasm') returned false");
  }
  const n = getThreadsCount();
  return `XNNPACK SIMD, ${n} thread${n === 1 ? "" : "s"}, composed conv gradients`;
}

/**
 * Makes `request` the active tfjs backend and returns what is running. `auto` tries, in order:
 * tfjs-node-gpu, tfjs-node (only when installed), a hardware WebGPU adapter, the oneDNN
 * `native` backend, then `wasm` (always available). The `wasm` backend gets the composed
 * XNNPACK gradient kernels and, where the machine has several cores, XNNPACK threads. Gradients
 * keep their saved tensors by reference from then on ({@linkcode shareSavedTensors}).
 *
 * @throws Error when `request` is not a backend name, or names a backend that is not
 *   available here (the message says why and how to install it).
 */
export async function useBackend(
  request: string,
  options: UseBackendOptions = {},
): Promise<BackendChoice> {
  if (!(BACKEND_NAMES as readonly string[]).includes(request)) {
    throw new Error(
      `Cannot use backend '${request}': valid names are ${BACKEND_NAMES.join(", ")}`,
    );
  }
  const resolved = await resolveBackend(request as BackendName);
  shareSavedTensors();
  let choice: BackendChoice;
  if (resolved.name === "wasm") {
    const detail = await startWasm(options.wasmThreads ?? defaultWasmThreads());
    choice = { ...resolved, detail };
  } else {
    if (resolved.name === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
    if (!(await tf.setBackend(resolved.name))) {
      throw new Error(
        `Cannot start backend '${resolved.name}' (${resolved.detail}): tf.setBackend returned false; see the warning above`,
      );
    }
    choice = resolved;
  }
  await tf.ready();
  options.log?.(`backend: ${choice.name} (${choice.detail})`);
  return choice;
}
