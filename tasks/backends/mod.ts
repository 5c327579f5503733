/**
 * Backends: choosing and completing the tfjs backend a run trains on.
 *
 * `backend:` in a config takes one of {@linkcode BACKEND_NAMES}. `auto` prefers tfjs-node-gpu,
 * tfjs-node, a hardware WebGPU adapter, the oneDNN `native` backend, then `wasm`. Each concrete
 * backend has a starter module (`start_*.ts`, see backend_module.ts); a stage runs only its own.
 *
 * The optional `tensorflow` backend (tfjs-node, libtensorflow) is not installed by default:
 * add `"@tensorflow/tfjs-node": "npm:@tensorflow/tfjs-node@4.22.0"` (or `tfjs-node-gpu`) to
 * the imports of deno.json and run `deno install --allow-scripts=npm:@tensorflow/tfjs-node`.
 * `webgpu` needs `deno run --unstable-webgpu` and a Vulkan driver.
 * @module
 */
export { BACKEND_NAMES, type BackendName, backendSchema } from "./backend_names.ts";
export { useBackend, type UseBackendOptions } from "./use_backend.ts";
export { type BackendChoice, backendFromModule, type BackendModule } from "./backend_module.ts";
export { backendModule } from "./backend_modules.ts";
export { resolveBackend, type ResolvedBackend } from "./resolve_backend.ts";
export { registerWasmKernels, WASM_KERNELS } from "./register_wasm_kernels.ts";
export { enableWasmThreads } from "./enable_wasm_threads.ts";
