import { assessStage } from "../run/assess_stage.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import type { PlannedOutcome } from "./plan_table.ts";
import { publishedMatches } from "../cache/publish_outputs.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";

/**
 * What `run` would do to each stage, without doing it (for `status` and `--dry-run`): fresh,
 * will restore (cached, publish folder missing or different) or will run, with the reasons.
 */
export function explainStages(
  stages: readonly PlannedStage[],
  layout: CacheLayout,
  forced?: (stage: PlannedStage) => boolean,
): Promise<PlannedOutcome[]> {
  return Promise.all(stages.map(async (stage) => {
    const assessment = await assessStage(layout, stage, forced?.(stage) ?? false);
    const restore: string[] = [];
    if (assessment.fresh && assessment.check.ok) {
      for (const target of stage.publish) {
        if (!await publishedMatches(target, assessment.check.manifest.files)) restore.push(target);
      }
    }
    return { stage, assessment, restore };
  }));
}
