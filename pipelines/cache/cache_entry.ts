import { join } from "node:path";
import { isProcessAlive } from "./_process_alive.ts";
import type { CacheLayout } from "./cache_layout.ts";
import type { FingerprintObject } from "../graph/fingerprint.ts";
import { hashTree } from "../hashing/hash_tree.ts";
import type { Manifest } from "./manifest.ts";
import { verifyEntry } from "./verify_entry.ts";

/** The folders of an entry being computed. */
export interface PendingEntry {
  /** `tmp/<fingerprint>.<pid>.<n>`: renamed to `entries/<fingerprint>` on success. */
  tmpDir: string;
  /** `<tmpDir>/out`: the stage's `ctx.outDir`. */
  outDir: string;
  /** `work/<fingerprint>`: the stage's `ctx.workDir`, kept across kills. */
  workDir: string;
  /** `<tmpDir>/log.txt`. */
  logFile: string;
}

let counter = 0;

/** Creates the temp and work folders for computing one stage. */
export async function startEntry(layout: CacheLayout, fingerprint: string): Promise<PendingEntry> {
  const tmpDir = join(layout.tmp, `${fingerprint}.${Deno.pid}.${counter++}`);
  const outDir = join(tmpDir, "out");
  const workDir = layout.work(fingerprint);
  await Deno.mkdir(outDir, { recursive: true });
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
}

/**
 * Hashes the outputs, writes `manifest.json`, and renames the temp folder into place (replacing
 * an entry that failed verification), then deletes the work folder. Rename is atomic, so a kill
 * at any point leaves either no entry or a complete one.
 * @returns the manifest written.
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
  await Deno.mkdir(join(layout.root, "entries"), { recursive: true });
  try {
    await Deno.rename(target, `${pending.tmpDir}.old`);
    await Deno.remove(`${pending.tmpDir}.old`, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  try {
    await Deno.rename(pending.tmpDir, target);
  } catch (error) {
    // Another process committed the same fingerprint meanwhile: keep theirs if it is sound.
    if (!(await verifyEntry(layout, info.fingerprint)).ok) throw error;
    await Deno.remove(pending.tmpDir, { recursive: true });
  }
  await Deno.remove(pending.workDir, { recursive: true }).catch(() => {});
  return manifest;
}

/** Deletes a failed stage's temp folder; its work folder (checkpoints) stays for the next try. */
export async function abandonEntry(pending: PendingEntry): Promise<void> {
  await Deno.remove(pending.tmpDir, { recursive: true }).catch(() => {});
}

/** Deletes temp folders left by processes that no longer exist (killed mid-stage). */
export async function removeStaleTemps(layout: CacheLayout): Promise<void> {
  let names: string[];
  try {
    names = [...Deno.readDirSync(layout.tmp)].map((e) => e.name);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.split(".")[1]);
    if (!Number.isInteger(pid) || pid === Deno.pid) continue;
    const alive = isProcessAlive(pid);
    if (!alive) await Deno.remove(join(layout.tmp, name), { recursive: true }).catch(() => {});
  }
}
