import type { CacheLayout } from "../cache/cache_layout.ts";
import { errorCause } from "../cache/cache_error.ts";
import { writeKeyPointer } from "../cache/key_pointer.ts";
import type { Manifest } from "../cache/manifest.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { publishStage, type PublishStageOptions, rememberStage } from "./stage_bookkeeping.ts";
import { describeStage, type StageResult } from "./stage_result.ts";
import type { TaskResult } from "./task_result.ts";

/**
 * The bookkeeping of a stage whose entry is valid, wherever it was made: records its fingerprint
 * object for "why" answers, points its key at the entry and publishes its outputs.
 * @returns whether publishing had to write anything.
 * @throws {Error} `Cannot publish <stage> to <folder>: <cause>`, or a cache write error.
 */
export async function settleEntry(
  layout: CacheLayout,
  stage: PlannedStage,
  fingerprint: string,
  manifest: Manifest,
  publish: PublishStageOptions,
): Promise<boolean> {
  await rememberStage(layout, stage, fingerprint, manifest.object);
  await writeKeyPointer(layout, stage.key, fingerprint);
  return await publishStage(stage, manifest, layout.entry(fingerprint), publish);
}

/**
 * The result of a stage whose entry is valid: `run`, or `fresh`/`restored` per whether
 * publishing had to write. A publish (or bookkeeping) failure fails the stage but keeps its
 * outputs' digest, so its dependents still run and the entry stays cached.
 */
export async function settledResult(
  layout: CacheLayout,
  stage: PlannedStage,
  done: { fingerprint: string; manifest: Manifest; ran: boolean; seconds: number },
  context: { reasons: string[]; execution?: string; publish: PublishStageOptions },
): Promise<StageResult> {
  const result: StageResult = {
    stage,
    outcome: "fresh",
    seconds: done.seconds,
    reasons: done.ran ? context.reasons : [],
    fingerprint: done.fingerprint,
    digest: outputDigest(done.manifest.files),
    ...(context.execution ? { execution: context.execution } : {}),
  };
  try {
    const copied = await settleEntry(
      layout,
      stage,
      done.fingerprint,
      done.manifest,
      context.publish,
    );
    return { ...result, outcome: done.ran ? "run" : copied ? "restored" : "fresh" };
  } catch (error) {
    const message = (error as Error).message;
    return {
      ...result,
      outcome: "failed",
      error: message.startsWith("Cannot publish ")
        ? message
        : `Cannot write the cache at ${layout.root}: ${errorCause(error)}`,
    };
  }
}

/**
 * Turns how an executed stage ended into its result. An entry made elsewhere (a child, a
 * cluster job) is checked in full before it is published or trusted by dependents.
 */
export async function settleExecution(
  layout: CacheLayout,
  stage: PlannedStage,
  ended: TaskResult,
  context: { reasons: string[]; execution: string; publish: PublishStageOptions },
): Promise<StageResult> {
  const { reasons, execution } = context;
  if ("error" in ended) {
    const error = ended.outcome === "failed"
      ? `Stage ${describeStage(stage)} failed: ${ended.error}`
      : ended.outcome === "interrupted"
      ? `Stage ${describeStage(stage)} was interrupted; ${ended.error}`
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
  return await settledResult(layout, stage, {
    fingerprint: ended.fingerprint,
    manifest,
    ran: ended.outcome === "run",
    seconds: ended.seconds,
  }, context);
}
