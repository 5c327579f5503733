/**
 * Provenance recorded in every output of the train and evaluate stages.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Json } from "./_json.ts";

/** Who made an artifact, and from what. */
export interface Provenance {
  [k: string]: Json;
  backend: string;
  backend_detail: string;
  tfjs: string;
  deno: string;
  seed: number;
  /** The stage's params exactly as fingerprinted. */
  params: Json;
  /** The runtime facts the engine fingerprinted with the stage. */
  runtime: Json;
}

/** Options of {@link provenance}. */
export interface ProvenanceOptions {
  backend: { name: string; detail: string };
  seed: number;
  params: Json;
  runtime: Json;
}

/** Builds the provenance record of an artifact (no timestamp: equal runs give equal records). */
export function provenance(options: ProvenanceOptions): Provenance {
  return {
    backend: options.backend.name,
    backend_detail: options.backend.detail,
    tfjs: tf.version_core,
    deno: Deno.version.deno,
    seed: options.seed,
    params: options.params,
    runtime: options.runtime,
  };
}
