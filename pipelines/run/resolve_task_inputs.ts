import { join } from "node:path";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { readKeyPointer } from "../cache/key_pointer.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import type { StageTask } from "./stage_task.ts";

/** A task's inputs, found: what its fingerprint and its context need. */
export interface ResolvedInputs {
  /** Input name → the upstream entry's fingerprint. */
  fingerprints: Record<string, string>;
  /** Input name → the digest of that entry's outputs (what the fingerprint holds). */
  digests: Record<string, string>;
  /** Input name → the entry's `out/` folder. */
  dirs: Record<string, string>;
}

/**
 * Finds each input's cache entry: the one the task was handed, else the one its key's pointer
 * names (checked in full: manifest, every file's SHA-256).
 * @returns the inputs, or `{ error }` naming the first input without a usable entry.
 */
export async function resolveTaskInputs(
  layout: CacheLayout,
  task: StageTask,
): Promise<ResolvedInputs | { error: string }> {
  const resolved: ResolvedInputs = { fingerprints: {}, digests: {}, dirs: {} };
  for (const [name, input] of Object.entries(task.inputs)) {
    let { fingerprint, digest } = input;
    if (fingerprint === undefined || digest === undefined) {
      fingerprint = await readKeyPointer(layout, input.key);
      if (fingerprint === undefined) {
        return { error: `its input ${input.id} has not completed (no entry for its key)` };
      }
      const check = await verifyEntry(layout, fingerprint);
      if (!check.ok) {
        return { error: `its input ${input.id} has no usable cache entry: ${check.detail}` };
      }
      digest = outputDigest(check.manifest.files);
    }
    resolved.fingerprints[name] = fingerprint;
    resolved.digests[name] = digest;
    resolved.dirs[name] = join(layout.entry(fingerprint), "out");
  }
  return resolved;
}
