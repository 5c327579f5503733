/**
 * Which backend a stage should use.
 * @module
 */
import type { Json } from "./_json.ts";

/**
 * The backend to use: the engine's resolved `runtime.backend` when it is a string (it is part
 * of the fingerprint), else the run's own request `fallback`.
 */
export function requestedBackend(runtime: Json, fallback: string): string {
  const r = runtime as { backend?: unknown } | null;
  return r !== null && typeof r === "object" && typeof r.backend === "string"
    ? r.backend
    : fallback;
}
