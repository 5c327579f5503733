/**
 * The provenance block the train and evaluate stages write into their artifacts.
 * @module
 */
import { version_core as tfjsVersion } from "@tensorflow/tfjs-core";
import type { StageContext } from "../../pipelines/types.ts";
import type { Provenance } from "../artifacts/provenance.ts";
import type { BackendChoice } from "../backends/backend_module.ts";

/** Who made an artifact, and from what: the stage's own key and its inputs' (no timestamp). */
export function stageProvenance(
  ctx: StageContext<{ seed: number }>,
  backend: BackendChoice,
): Provenance {
  return {
    backend: backend.name,
    backend_detail: backend.detail,
    tfjs: tfjsVersion,
    deno: Deno.version.deno,
    seed: ctx.params.seed,
    params: ctx.params,
    runtime: ctx.runtime,
    fingerprint: ctx.fingerprint,
    inputs: ctx.inputFingerprints,
  };
}
