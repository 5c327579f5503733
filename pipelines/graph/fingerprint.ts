import { createHash, type Hash } from "node:crypto";
import { canonicalJson, canonicalSha256Into } from "../hashing/canonical_json.ts";
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

/** Canonical JSON of the members of a stage's fingerprint object that many stages share. */
export interface CanonicalParts {
  code: string;
  packages: string;
  runtime: string;
}

/**
 * The fingerprint assembled from canonical parts and the params: the same text `canonicalJson`
 * gives for the whole {@linkcode FingerprintObject} (members in sorted order: code, engine,
 * inputs, kind, packages, params, runtime), hence the same SHA-256 as {@linkcode fingerprintOf}, streamed
 * so that big params are never serialized whole.
 */
export function fingerprintFromParts(
  kind: string,
  parts: CanonicalParts,
  params: unknown,
  inputs: Record<string, string>,
): string {
  let head = headHashes.get(parts);
  if (head === undefined) {
    head = createHash("sha256").update(
      `{"code":${parts.code},"engine":${ENGINE_VERSION},"inputs":`,
    );
    headHashes.set(parts, head);
  }
  return canonicalSha256Into(
    head.copy(),
    params,
    `${canonicalJson(inputs)},"kind":${
      JSON.stringify(kind)
    },"packages":${parts.packages},"params":`,
    `,"runtime":${parts.runtime}}`,
  );
}

// The hash state after the text every stage of one code set shares (a train stage's code set is
// tens of kilobytes of JSON): each stage continues a copy instead of hashing it again.
const headHashes = new WeakMap<CanonicalParts, Hash>();
