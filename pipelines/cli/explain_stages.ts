import type { CacheLayout } from "../cache/cache_layout.ts";
import { publishedMatches } from "../cache/publish_outputs.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { assessStage } from "../run/assess_stage.ts";
import type { PlannedOutcome } from "./plan_table.ts";

/**
 * What `run` would do to each stage, without doing it (for `status` and `--dry-run`): fresh,
 * will restore (cached, publish folder missing or different) or will run, with the reasons. A
 * stage after one that will run cannot be decided yet (its key holds that input's output
 * digest); it is listed as will run, and the input's line says its dependents are decided after it.
 */
export async function explainStages(
  stages: readonly PlannedStage[],
  layout: CacheLayout,
  forced?: (stage: PlannedStage) => boolean,
): Promise<PlannedOutcome[]> {
  const digests = new Map<PlannedStage, string | undefined>();
  const outcomes = new Map<PlannedStage, PlannedOutcome>();
  // Stages whose inputs are all decided can be assessed together; proceed level by level.
  const remaining = new Set(stages);
  while (remaining.size > 0) {
    const level = [...remaining].filter((s) =>
      Object.values(s.inputs).every((input) => !remaining.has(input))
    );
    if (level.length === 0) throw new Error("Cannot explain stages whose inputs form a cycle");
    await Promise.all(level.map(async (stage) => {
      const inputDigests = Object.fromEntries(
        Object.entries(stage.inputs).map(([name, input]) => [name, digests.get(input)]),
      );
      const assessment = await assessStage(layout, stage, inputDigests, forced?.(stage) ?? false);
      const restore: string[] = [];
      if (assessment.fresh && assessment.check?.ok) {
        digests.set(stage, outputDigest(assessment.check.manifest.files));
        for (const target of stage.publish) {
          if (!await publishedMatches(target, assessment.check.manifest.files)) {
            restore.push(target);
          }
        }
      }
      outcomes.set(stage, { stage, assessment, restore });
    }));
    level.forEach((s) => remaining.delete(s));
  }
  const hasDependents = new Set(stages.flatMap((s) => Object.values(s.inputs)));
  return stages.map((stage) => {
    const outcome = outcomes.get(stage)!;
    return { ...outcome, decidesDependents: !outcome.assessment.fresh && hasDependents.has(stage) };
  });
}
