import { join } from "node:path";
import type { CacheLayout } from "../cache/cache_layout.ts";
import type { Manifest } from "../cache/manifest.ts";
import { publishOutputs } from "../cache/publish_outputs.ts";
import { readStageRecord, writeStageRecord } from "../cache/stage_record.ts";
import type { FingerprintObject } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";

/**
 * Copies an entry's outputs to each of the stage's publish folders that differ.
 * @returns true when anything was copied.
 */
export async function publishStage(
  stage: PlannedStage,
  manifest: Manifest,
  entryDir: string,
): Promise<boolean> {
  let copied = false;
  for (const target of stage.publish) {
    if (await publishOutputs(join(entryDir, "out"), manifest.files, target) === "copied") {
      copied = true;
    }
  }
  return copied;
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
