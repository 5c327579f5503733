import { join } from "node:path";
import type { CacheLayout } from "../cache/cache_layout.ts";
import type { Manifest } from "../cache/manifest.ts";
import { errorCause } from "../cache/cache_error.ts";
import { publishOutputs } from "../cache/publish_outputs.ts";
import { readStageRecord, writeStageRecord } from "../cache/stage_record.ts";
import type { FingerprintObject } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";

/** Options of {@linkcode publishStage}. */
export interface PublishStageOptions {
  /** Publish targets must lie inside this folder. */
  root: string;
  /** Receives lines about files of the user's that were kept aside. */
  log?: (line: string) => void;
}

/**
 * Publishes an entry's outputs to each of the stage's publish folders that differ (touching only
 * the files the tool owns there; see `publish_outputs.ts`).
 * @returns true when anything was written.
 * @throws {Error} `Cannot publish <stage> to <folder>: <cause>` (the entry itself stays valid).
 */
export async function publishStage(
  stage: PlannedStage,
  manifest: Manifest,
  entryDir: string,
  options: PublishStageOptions,
): Promise<boolean> {
  let changed = false;
  for (const target of stage.publish) {
    try {
      const result = await publishOutputs(join(entryDir, "out"), manifest.files, target, options);
      result.notes.forEach((line) => options.log?.(line));
      changed ||= result.changed;
    } catch (error) {
      throw new Error(`Cannot publish ${stage.id} to ${target}: ${errorCause(error)}`);
    }
  }
  return changed;
}

/**
 * Records the fingerprint object under each of the stage's record ids (for later "why"
 * answers). Records are rewritten only when they change, so a fully cached rerun writes nothing.
 */
export async function rememberStage(
  layout: CacheLayout,
  stage: PlannedStage,
  fingerprint: string,
  object: FingerprintObject,
): Promise<void> {
  for (const id of stage.recordIds) {
    if ((await readStageRecord(layout, id))?.fingerprint === fingerprint) continue;
    await writeStageRecord(layout, { id, fingerprint, object });
  }
}
