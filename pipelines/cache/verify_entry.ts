import { join } from "node:path";
import { canonicalJson } from "../hashing/canonical_json.ts";
import type { CacheLayout } from "./cache_layout.ts";
import { hashFile, listFiles } from "../hashing/hash_tree.ts";
import type { Manifest } from "./manifest.ts";
import { sha256 } from "../hashing/sha256.ts";

/** Why an entry cannot be trusted (kebab-case, for callers that branch on it). */
export type EntryProblem =
  | "no-entry"
  | "bad-manifest"
  | "missing-file"
  | "extra-file"
  | "changed-file";

/** The result of checking a cache entry. */
export type EntryCheck =
  | { ok: true; manifest: Manifest; dir: string }
  | { ok: false; problem: EntryProblem; detail: string };

/**
 * Checks that `entries/<fingerprint>` is complete and untouched: the manifest parses and names
 * this fingerprint, and `out/` holds exactly the recorded files with their recorded SHA-256.
 * @returns a failure value (never throws for a bad entry).
 */
export async function verifyEntry(layout: CacheLayout, fingerprint: string): Promise<EntryCheck> {
  const dir = layout.entry(fingerprint);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { ok: false, problem: "no-entry", detail: "no cache entry" };
    }
    return { ok: false, problem: "bad-manifest", detail: "cache entry has an unreadable manifest" };
  }
  if (
    manifest?.format !== 1 || manifest.fingerprint !== fingerprint || !manifest.files ||
    sha256(canonicalJson(manifest.object)) !== fingerprint
  ) {
    return {
      ok: false,
      problem: "bad-manifest",
      detail: "cache entry manifest does not match its fingerprint",
    };
  }
  let present: string[];
  try {
    present = await listFiles(join(dir, "out"));
  } catch {
    return { ok: false, problem: "missing-file", detail: "cache entry has no out/ folder" };
  }
  const recorded = Object.keys(manifest.files);
  const extra = present.find((f) => !(f in manifest.files));
  if (extra) {
    return {
      ok: false,
      problem: "extra-file",
      detail: `cache entry has an unexpected file out/${extra}`,
    };
  }
  const missing = recorded.find((f) => !present.includes(f));
  if (missing) {
    return { ok: false, problem: "missing-file", detail: `cache entry lost out/${missing}` };
  }
  for (const file of recorded) {
    const expected = manifest.files[file];
    const path = join(dir, "out", file);
    const { size } = await Deno.stat(path);
    if (size !== expected.size || (await hashFile(path)).sha256 !== expected.sha256) {
      return {
        ok: false,
        problem: "changed-file",
        detail: `cache entry file out/${file} does not match its recorded sha256`,
      };
    }
  }
  return { ok: true, manifest, dir };
}
