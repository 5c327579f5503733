/**
 * The contract of a backend starter: one module per backend (`start_*.ts`) whose code is the
 * code a stage on that backend runs, so the planner hands a stage only its backend's module and
 * editing the wasm kernels never touches the key of a run on `native`.
 * @module
 */

/** The backend in use. */
export interface BackendChoice {
  /** tfjs backend name: `tensorflow`, `webgpu`, `native`, `wasm` or `cpu`. */
  name: string;
  /** What runs it, e.g. `XNNPACK SIMD, 2 threads, composed conv gradients`. */
  detail: string;
  /** For `auto`: why each faster backend was passed over. */
  skipped?: string[];
}

/** What every `start_*.ts` exports. */
export interface BackendModule {
  /** Registers (if needed) and selects the backend; resolves once it is ready. */
  startBackend(): Promise<BackendChoice>;
}

/**
 * The starter in a module namespace handed to a stage (`ctx.uses.backend`).
 * @throws Error when the namespace is not a backend starter (a planner bug, named plainly).
 */
export function backendFromModule(namespace: unknown): BackendModule {
  const start = (namespace as Partial<BackendModule>)?.startBackend;
  if (typeof start !== "function") {
    throw new Error("Cannot start a backend: the module handed to the stage has no startBackend()");
  }
  return { startBackend: start };
}
