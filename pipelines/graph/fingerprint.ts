import { canonicalJson } from "../hashing/canonical_json.ts";
import type { CodeHashes } from "../hashing/code_hash.ts";
import type { FileHash } from "../hashing/hash_tree.ts";
import { sha256 } from "../hashing/sha256.ts";
import type { Json } from "../types.ts";

/** Bump to invalidate every cache entry when the entry format or the key's meaning changes. */
export const ENGINE_VERSION = 2;

/**
 * Everything a stage's output depends on. Its canonical JSON's SHA-256 is the stage fingerprint
 * and the cache key; pipelines/README.md lists these fields so users can predict a rerun.
 */
export interface FingerprintObject {
  /** {@linkcode ENGINE_VERSION}. */
  engine: number;
  /** Stage kind ("train"). */
  kind: string;
  /** The stage's params, exactly as passed to the stage. */
  params: Json;
  /**
   * Input name → digest of the *content* of that input's outputs (not its fingerprint): an
   * upstream stage that reruns and writes the same bytes changes nothing downstream.
   */
  inputs: Record<string, string>;
  /** The stage module, the modules it `uses` and their local imports: path → SHA-256. */
  code: CodeHashes;
  /** The packages that code imports → their resolved versions (`vega@6.4.0`). */
  packages: Record<string, string>;
  /** Runtime facts that change numbers (backend, library versions); null when none. */
  runtime: Json;
}

/** SHA-256 (hex) of the canonical JSON of a fingerprint object. */
export function fingerprintOf(object: FingerprintObject): string {
  return sha256(canonicalJson(object));
}

/** The digest of a stage's outputs: SHA-256 over the sorted (file, SHA-256) list. */
export function outputDigest(files: Record<string, FileHash>): string {
  const list = Object.keys(files).sort().map((name) => [name, files[name].sha256]);
  return sha256(canonicalJson(list));
}
