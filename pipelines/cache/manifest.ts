import type { FingerprintObject } from "../graph/fingerprint.ts";
import type { FileHash } from "../hashing/hash_tree.ts";

/** `manifest.json` of a cache entry: what was computed, from what, and the hash of every output. */
export interface Manifest {
  /** Bumped when this format changes. */
  format: 1;
  fingerprint: string;
  /** The stage id that computed it (others may share it). */
  id: string;
  object: FingerprintObject;
  timings: { started: string; seconds: number };
  /** Output file (relative to `out/`) → size and SHA-256. */
  files: Record<string, FileHash>;
}
