/**
 * The provenance block every train and evaluate artifact carries.
 * @module
 */
import { z } from "zod";

/** Who made an artifact, and from what (no timestamp: equal runs give equal records). */
export const provenanceSchema = z.object({
  backend: z.string(),
  backend_detail: z.string(),
  tfjs: z.string(),
  deno: z.string(),
  seed: z.number(),
  /** The stage's params exactly as fingerprinted. */
  params: z.unknown(),
  /** The runtime facts the engine fingerprinted with the stage. */
  runtime: z.unknown(),
  /** The stage's cache key and its inputs' (input name → fingerprint). */
  fingerprint: z.string().optional(),
  inputs: z.record(z.string(), z.string()).optional(),
});

/** A provenance block. */
export type Provenance = z.output<typeof provenanceSchema>;
