/**
 * The wasm backend's own kernels, kept before they are replaced, for the replacements that
 * delegate to them.
 * @module
 */
import { getKernel, type KernelFunc } from "@tensorflow/tfjs-core";

const originals = new Map<string, KernelFunc>();

/** Remembers the wasm backend's current kernel `name` (first call wins). */
export function keepOriginalKernel(name: string): void {
  if (originals.has(name)) return;
  const kernel = getKernel(name, "wasm");
  if (kernel !== undefined) originals.set(name, kernel.kernelFunc);
}

/** The wasm backend's own kernel `name`, as it was before {@linkcode keepOriginalKernel}. */
export function originalKernel(name: string): KernelFunc {
  const f = originals.get(name) ?? getKernel(name, "wasm")?.kernelFunc;
  if (f === undefined) {
    throw new Error(
      `The wasm backend has no '${name}' kernel: is @tensorflow/tfjs-backend-wasm imported?`,
    );
  }
  return f;
}
