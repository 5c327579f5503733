/**
 * The runtime facts that change a run's numbers: which backend each requested backend resolves
 * to on this machine, and the tfjs and Deno versions. They are part of the train and evaluate
 * fingerprints, so moving a config to a machine with another backend retrains instead of
 * reusing numbers computed elsewhere.
 * @module
 */
import { version_core as tfjsVersion } from "@tensorflow/tfjs-core";
import type { BackendName } from "./backends/backend_names.ts";
import { resolveBackend } from "./backends/resolve_backend.ts";
import type { ExpandedRun, Json } from "../pipelines/types.ts";

/** What {@linkcode runtimeFacts} returns. */
export interface RuntimeFacts {
  /** Requested backend → resolved backend name, for every backend the runs ask for. */
  backends: Record<string, string>;
  tfjs: string;
  deno: string;
  [key: string]: Json;
}

/**
 * Resolves every backend the runs request (probing the machine once per distinct request).
 * @throws Error when a run asks by name for a backend that is not available, with the fix.
 */
export async function runtimeFacts(runs: ExpandedRun[]): Promise<RuntimeFacts> {
  const requests = new Set(runs.map((r) => (r.params as { backend: BackendName }).backend));
  const backends: Record<string, string> = {};
  for (const request of [...requests].sort()) {
    backends[request] = (await resolveBackend(request)).name;
  }
  return { backends, tfjs: tfjsVersion, deno: Deno.version.deno };
}
