/**
 * The runtime facts that change a run's numbers: which backend each requested backend resolves
 * to on this machine (with the identity of what computes: the native shim's build and its thread
 * count, the tfjs-node package, the WebGPU adapter), and the tfjs and Deno versions. They are part of the
 * train and evaluate fingerprints, so moving a config to a machine with another backend, or
 * rebuilding the shim, retrains instead of reusing numbers computed elsewhere.
 * @module
 */
import { version_core as tfjsVersion } from "@tensorflow/tfjs-core";
import type { BackendName } from "./backends/backend_names.ts";
import { resolveBackend } from "./backends/resolve_backend.ts";
import type { ExpandedRun } from "../pipelines/types.ts";
import type { RunParams } from "./run_schema.ts";

/** A requested backend as resolved here. */
export type ResolvedBackendFact = {
  /** The concrete backend: its starter module runs in the stage. */
  name: Exclude<BackendName, "auto">;
  /** What the fingerprint records, e.g. `native@<build id>`. */
  id: string;
  /** Threads per process where they change the numbers (native), else absent. */
  threads?: number;
};

/** What {@linkcode runtimeFacts} returns. */
export type RuntimeFacts = {
  /** Requested backend → resolved backend, for every backend the runs ask for. */
  backends: Record<string, ResolvedBackendFact>;
  tfjs: string;
  deno: string;
};

/**
 * Resolves every backend the runs request (probing the machine once per distinct request).
 * @throws Error when a run asks by name for a backend that is not available, with the fix.
 */
export async function runtimeFacts(runs: ExpandedRun<RunParams>[]): Promise<RuntimeFacts> {
  const requests = new Set(runs.map((r) => r.params.backend));
  const backends: Record<string, ResolvedBackendFact> = {};
  for (const request of [...requests].sort()) {
    const resolved = await resolveBackend(request);
    backends[request] = {
      name: resolved.name,
      id: resolved.id,
      ...(resolved.threads === undefined ? {} : { threads: resolved.threads }),
    };
  }
  return { backends, tfjs: tfjsVersion, deno: Deno.version.deno };
}
