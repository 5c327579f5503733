/**
 * Releases what the active backend keeps for reuse (the native backend's output pool) at a
 * change of phase, such as inference after training; a no-op on other backends.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Pooled bytes given back to the system (0 where the backend pools nothing). */
export function releasePooledMemory(): number {
  const backend = tf.backend() as unknown as { trimPool?: () => number };
  return typeof backend.trimPool === "function" ? backend.trimPool() : 0;
}
