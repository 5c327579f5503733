import type { CacheLayout } from "../cache/cache_layout.ts";
import { writeKeyPointer } from "../cache/key_pointer.ts";
import type { Manifest } from "../cache/manifest.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { publishStage, rememberStage } from "./stage_bookkeeping.ts";
import { describeStage, type StageResult } from "./stage_result.ts";
import type { TaskResult } from "./task_result.ts";

/**
 * The bookkeeping of a stage whose entry is valid, wherever it was made: publishes its outputs,
 * records its fingerprint object for "why" answers and points its key at the entry.
 * @returns whether publishing had to copy anything.
 */
export async function settleEntry(
  layout: CacheLayout,
  stage: PlannedStage,
  fingerprint: string,
  manifest: Manifest,
): Promise<boolean> {
  const copied = await publishStage(stage, manifest, layout.entry(fingerprint));
  await rememberStage(layout, stage, fingerprint, manifest.object);
  await writeKeyPointer(layout, stage.key, fingerprint);
  return copied;
}

/**
 * Turns how an executed stage ended into its result. An entry made elsewhere (a child, a
 * cluster job) is checked in full before it is published or trusted by dependents.
 */
export async function settleExecution(
  layout: CacheLayout,
  stage: PlannedStage,
  ended: TaskResult,
  context: { reasons: string[]; execution: string },
): Promise<StageResult> {
  const { reasons, execution } = context;
  if ("error" in ended) {
    const error = ended.outcome === "failed"
      ? `Stage ${describeStage(stage)} failed: ${ended.error}`
      : ended.error;
    return { stage, outcome: ended.outcome, seconds: ended.seconds, reasons, error, execution };
  }
  let manifest = ended.manifest;
  if (manifest === undefined) {
    const check = await verifyEntry(layout, ended.fingerprint);
    if (!check.ok) {
      return {
        stage,
        outcome: "failed",
        seconds: ended.seconds,
        reasons,
        error: `Stage ${
          describeStage(stage)
        } failed: ${execution} reported its entry ${ended.fingerprint}, which cannot be used: ${check.detail}`,
        execution,
      };
    }
    manifest = check.manifest;
  }
  const copied = await settleEntry(layout, stage, ended.fingerprint, manifest);
  const ran = ended.outcome === "run";
  return {
    stage,
    outcome: ran ? "run" : copied ? "restored" : "fresh",
    seconds: ended.seconds,
    reasons: ran ? reasons : [],
    fingerprint: ended.fingerprint,
    digest: outputDigest(manifest.files),
    execution,
  };
}
