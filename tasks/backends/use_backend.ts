/**
 * Chooses and starts the tfjs backend a request names (tools, tests and the bench; stages get
 * their backend's starter from the planner instead).
 * @module
 */
import { BACKEND_NAMES, type BackendName } from "./backend_names.ts";
import type { BackendChoice, BackendModule } from "./backend_module.ts";
import { resolveBackend } from "./resolve_backend.ts";
import * as cpu from "./start_cpu.ts";
import * as native from "./start_native.ts";
import * as tensorflow from "./start_tensorflow.ts";
import * as wasm from "./start_wasm.ts";
import * as webgpu from "./start_webgpu.ts";

export type { BackendChoice } from "./backend_module.ts";

const STARTERS: Record<Exclude<BackendName, "auto">, BackendModule> = {
  cpu,
  wasm,
  native,
  webgpu,
  tensorflow,
};

/** Options of {@linkcode useBackend}. */
export interface UseBackendOptions {
  /**
   * XNNPACK threads for `wasm` (1–8). Default: `$CNNLAB_WASM_THREADS`, else `$CNNLAB_THREADS`,
   * else the number of logical cores (capped at 8). Fixed at the first start of wasm in a process.
   */
  wasmThreads?: number;
  /** Where to print the choice. Default: nothing. */
  log?: (line: string) => void;
}

/**
 * Makes `request` the active tfjs backend and returns what is running. `auto` tries, in order:
 * tfjs-node-gpu, tfjs-node (only when installed), a hardware WebGPU adapter, the oneDNN
 * `native` backend, then `wasm` (always available).
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
  const started = resolved.name === "wasm"
    ? await wasm.startBackend(options.wasmThreads)
    : await STARTERS[resolved.name].startBackend();
  const choice = resolved.skipped ? { ...started, skipped: resolved.skipped } : started;
  options.log?.(`backend: ${choice.name} (${choice.detail})`);
  return choice;
}
