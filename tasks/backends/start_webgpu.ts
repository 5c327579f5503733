/** Starts backend `webgpu` (needs `deno run --unstable-webgpu` and a Vulkan driver). @module */
import "@tensorflow/tfjs-backend-webgpu";
import type { BackendChoice } from "./backend_module.ts";
import { probeWebgpu } from "./_probe_webgpu.ts";
import { selectBackend } from "./_select_backend.ts";

/**
 * Selects `webgpu` on the adapter tfjs picks (software adapters included: the planner decides
 * whether this backend is wanted).
 * @throws Error when no adapter is present.
 */
export async function startBackend(): Promise<BackendChoice> {
  const probe = await probeWebgpu(true);
  if (!probe.ok) throw new Error(`Cannot use backend 'webgpu': ${probe.reason}`);
  await selectBackend("webgpu", probe.detail);
  return { name: "webgpu", detail: probe.detail };
}
