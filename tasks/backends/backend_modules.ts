/**
 * Where each backend's starter lives: the planner hands a stage the one its run resolved to.
 * @module
 */
import type { BackendName } from "./backend_names.ts";

const STARTERS: Record<Exclude<BackendName, "auto">, URL> = {
  cpu: new URL("./start_cpu.ts", import.meta.url),
  wasm: new URL("./start_wasm.ts", import.meta.url),
  native: new URL("./start_native.ts", import.meta.url),
  webgpu: new URL("./start_webgpu.ts", import.meta.url),
  tensorflow: new URL("./start_tensorflow.ts", import.meta.url),
};

/** The starter module of a resolved backend (see backend_module.ts). */
export function backendModule(name: Exclude<BackendName, "auto">): URL {
  return STARTERS[name];
}
