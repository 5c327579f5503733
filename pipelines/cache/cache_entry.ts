import { join } from "node:path";
import type { CacheLayout } from "./cache_layout.ts";
import type { FingerprintObject } from "../graph/fingerprint.ts";
import { hashTree } from "../hashing/hash_tree.ts";
import type { Manifest } from "./manifest.ts";
import { currentProcess, type ProcessIdentity } from "./process_identity.ts";
import { verifyEntry } from "./verify_entry.ts";

/** The folders of an entry being computed. */
export interface PendingEntry {
  /** `tmp/<fingerprint>.<lock token>`: renamed to `entries/<fingerprint>` on success. */
  tmpDir: string;
  /** `<tmpDir>/out`: the stage's `ctx.outDir`. */
  outDir: string;
  /** `work/<fingerprint>`: the stage's `ctx.workDir`, kept across kills. */
  workDir: string;
  /** `<tmpDir>/log.txt`. */
  logFile: string;
}

/**
 * `owner.json` of a temp folder: who made it (for people looking at the cache). The folder's name
 * is the marker that makes it ours: `<fingerprint>.<token of the stage lock it was made under>`;
 * cleanup removes it once that lock no longer holds that token (the acquisition is over), so a
 * kill even before `owner.json` is written leaves nothing that stays.
 */
export interface TempOwner extends ProcessIdentity {
  tool: "cnnlab";
  fingerprint: string;
  token: string;
}

/** Name of the marker file in a temp folder. */
export const TEMP_OWNER_FILE = "owner.json";

/** A temp folder's name: `<fingerprint>.<lock token>` (a UUID). */
export const TEMP_NAME =
  /^([0-9a-f]{64})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Creates the temp and work folders for computing one stage, while holding its lock.
 * @param lockToken the token of the stage lock held (recorded in the temp folder's marker).
 */
export async function startEntry(
  layout: CacheLayout,
  fingerprint: string,
  lockToken: string,
): Promise<PendingEntry> {
  const tmpDir = join(layout.tmp, `${fingerprint}.${lockToken}`);
  await Deno.mkdir(tmpDir, { recursive: true });
  const owner: TempOwner = { tool: "cnnlab", ...currentProcess(), fingerprint, token: lockToken };
  await Deno.writeTextFile(join(tmpDir, TEMP_OWNER_FILE), JSON.stringify(owner) + "\n");
  const outDir = join(tmpDir, "out");
  const workDir = layout.work(fingerprint);
  await Deno.mkdir(outDir);
  await Deno.mkdir(workDir, { recursive: true });
  const logFile = join(tmpDir, "log.txt");
  await Deno.writeTextFile(logFile, "");
  return { tmpDir, outDir, workDir, logFile };
}

/** What {@linkcode commitEntry} records besides the output hashes. */
export interface CommitInfo {
  fingerprint: string;
  id: string;
  object: FingerprintObject;
  started: Date;
  seconds: number;
  /**
   * Replace an entry already in place even if it verifies (a forced recompute, or a stage whose
   * code is not fully tracked, whose new outputs may differ). Default: false, keep it.
   */
  replace?: boolean;
}

/**
 * Hashes the outputs, writes `manifest.json`, and renames the temp folder into place, then
 * deletes the work folder. An entry already in place that verifies (another process committed
 * the same fingerprint) is kept and ours discarded, so readers of it are never disturbed, unless
 * `info.replace`; one
 * that fails verification is first moved into our temp folder and deleted with it. Renames are
 * atomic, so a kill at any point leaves either no entry or a complete one.
 * @returns the manifest of the entry in place.
 */
export async function commitEntry(
  layout: CacheLayout,
  pending: PendingEntry,
  info: CommitInfo,
): Promise<Manifest> {
  const manifest: Manifest = {
    format: 1,
    fingerprint: info.fingerprint,
    id: info.id,
    object: info.object,
    timings: { started: info.started.toISOString(), seconds: info.seconds },
    files: await hashTree(pending.outDir),
  };
  await Deno.writeTextFile(
    join(pending.tmpDir, "manifest.json"),
    JSON.stringify(manifest, null, 2) + "\n",
  );
  const target = layout.entry(info.fingerprint);
  await Deno.mkdir(layout.entries, { recursive: true });
  const existing = info.replace ? undefined : await verifyEntry(layout, info.fingerprint);
  if (existing?.ok) {
    await Deno.remove(pending.tmpDir, { recursive: true });
    await Deno.remove(pending.workDir, { recursive: true }).catch(() => {});
    return existing.manifest;
  }
  const replaced = join(pending.tmpDir, "replaced");
  try {
    await Deno.rename(target, replaced);
    await Deno.remove(replaced, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  try {
    await Deno.rename(pending.tmpDir, target);
  } catch (error) {
    // Another process committed the same fingerprint meanwhile: keep theirs if it is sound.
    const theirs = await verifyEntry(layout, info.fingerprint);
    if (!theirs.ok) throw error;
    await Deno.remove(pending.tmpDir, { recursive: true });
    return theirs.manifest;
  }
  await Deno.remove(pending.workDir, { recursive: true }).catch(() => {});
  return manifest;
}

/** Deletes a failed stage's temp folder; its work folder (checkpoints) stays for the next try. */
export async function abandonEntry(pending: PendingEntry): Promise<void> {
  await Deno.remove(pending.tmpDir, { recursive: true }).catch(() => {});
}
