/** Starts backend `cpu` (tfjs-backend-cpu, pure JavaScript). @module */
import "@tensorflow/tfjs-backend-cpu";
import type { BackendChoice } from "./backend_module.ts";
import { selectBackend } from "./_select_backend.ts";

/** Selects `cpu`. */
export async function startBackend(): Promise<BackendChoice> {
  const detail = "tfjs-backend-cpu (pure JS, slow: for tiny tests)";
  await selectBackend("cpu", detail);
  return { name: "cpu", detail };
}
