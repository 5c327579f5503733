import { formatTableChunks, stageLabel } from "./format_table.ts";
import type { Assessment } from "../run/assess_stage.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";

/** How many reasons to show per stage before "(+N more)": one short line per stage. */
const MAX_REASONS = 3;

/** One stage of a dry run / status listing. */
export interface PlannedOutcome {
  stage: PlannedStage;
  assessment: Assessment;
  /** Publish folders of a fresh stage that are missing or differ (they will be restored). */
  restore?: string[];
  /** The stage will run and others read its outputs: they are decided once it has run. */
  decidesDependents?: boolean;
}

/**
 * The `status` / `--dry-run` listing: every stage as `fresh`, `will restore` (cached, but a
 * publish folder is missing or differs) or `will run`, with the reasons, then a count line such
 * as `3 fresh, 0 will restore, 4 will run`.
 */
export function planTable(items: readonly PlannedOutcome[]): string {
  return [...planTableChunks(items)].join("\n");
}

/** {@linkcode planTable}'s text in pieces of lines, for printing a big plan piece by piece. */
export function* planTableChunks(items: readonly PlannedOutcome[]): Generator<string> {
  const stateOf = (i: PlannedOutcome) =>
    !i.assessment.fresh ? "will run" : i.restore?.length ? "will restore" : "fresh";
  const rows = items.map((item) => {
    const all = item.assessment.fresh
      ? (item.restore ?? []).map((p) => `publish folder ${p} is missing or differs`)
      : item.assessment.reasons;
    const reasons = all.slice(0, MAX_REASONS);
    if (all.length > reasons.length) reasons.push(`(+${all.length - reasons.length} more)`);
    if (item.decidesDependents) reasons.push("dependents decided after it");
    return [stageLabel(item.stage), stateOf(item), reasons.join("; ")];
  });
  const count = (state: string) => items.filter((i) => stateOf(i) === state).length;
  const counts = ["fresh", "will restore", "will run"].map((s) => `${count(s)} ${s}`);
  yield* formatTableChunks(["stage", "state", "why"], rows);
  yield counts.join(", ");
}
