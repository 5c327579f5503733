import { canonicalJson } from "../hashing/canonical_json.ts";
import type { CodeHashes } from "../hashing/code_hash.ts";
import { sha256 } from "../hashing/sha256.ts";
import type { Json } from "../types.ts";

/** Bump to invalidate every cache entry when the entry format or the key's meaning changes. */
export const ENGINE_VERSION = 1;

/**
 * Everything a stage's output depends on. Its canonical JSON's SHA-256 is the stage fingerprint
 * and the cache key; README lists these fields so users can predict a rerun.
 */
export interface FingerprintObject {
  /** {@linkcode ENGINE_VERSION}. */
  engine: number;
  /** Stage kind ("train"). */
  kind: string;
  /** The stage's resolved params, exactly as passed to the stage. */
  params: Json;
  /** Input name → fingerprint of the upstream stage. */
  inputs: Record<string, string>;
  /** The stage module and its local imports: relative path → SHA-256 of the source. */
  code: CodeHashes;
  /** Runtime facts that change numbers (backend, library versions); null when none. */
  runtime: Json;
}

/** SHA-256 (hex) of the canonical JSON of a fingerprint object. */
export function fingerprintOf(object: FingerprintObject): string {
  return sha256(canonicalJson(object));
}
