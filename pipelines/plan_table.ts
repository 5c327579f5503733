import { formatTable } from "./format_table.ts";
import type { Assessment } from "./assess_stage.ts";
import type { PlannedStage } from "./stage_graph.ts";

/** How many reasons to show per stage before "… and N more". */
const MAX_REASONS = 4;

/** One stage of a dry run / status listing. */
export interface PlannedOutcome {
  stage: PlannedStage;
  assessment: Assessment;
}

/**
 * The `status` / `--dry-run` listing: every stage as `fresh` or `will run` with the reasons,
 * then a count line such as `3 fresh, 4 will run`.
 */
export function planTable(items: readonly PlannedOutcome[]): string {
  const rows = items.map(({ stage, assessment }) => {
    const reasons = assessment.reasons.slice(0, MAX_REASONS);
    const more = assessment.reasons.length - reasons.length;
    if (more > 0) reasons.push(`… and ${more} more`);
    return [stage.id, assessment.fresh ? "fresh" : "will run", reasons.join("; ")];
  });
  const fresh = items.filter((i) => i.assessment.fresh).length;
  return `${formatTable(["stage", "state", "why"], rows)}\n${fresh} fresh, ${
    items.length - fresh
  } will run`;
}
