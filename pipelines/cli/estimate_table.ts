/**
 * The time estimates `status` prints under its table, and the question `run` asks before a
 * long run.
 * @module
 */
import { type Estimates, totalEstimate } from "../estimate/estimate_stages.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { formatTableChunks } from "./format_table.ts";
import { formatDuration } from "./progress_reporter.ts";

/** `~12.3 s` under a minute, `~1:05` above, or `?` without an estimate. */
export function formatEstimate(seconds: number | undefined): string {
  if (seconds === undefined) return "?";
  return seconds < 59.95 ? `~${seconds.toFixed(1)} s` : `~${formatDuration(seconds)}`;
}

/** `~12:30 for 4 stages`, `~12:30 for 4 stages (+1 without an estimate)`. */
export function describeTotal(stages: readonly PlannedStage[], estimates: Estimates): string {
  const total = totalEstimate(stages, estimates);
  const count = `${stages.length} stage${stages.length === 1 ? "" : "s"}`;
  if (total.unknown === stages.length) return `unknown for ${count} (no earlier run to go by)`;
  const unknown = total.unknown ? ` (+${total.unknown} without an estimate)` : "";
  return `${formatEstimate(total.seconds)} for ${count}${unknown}`;
}

/**
 * One row per stage that will run (estimate and what it rests on), then the total.
 * @returns "" when no stage will run
 */
export function estimateTable(stages: readonly PlannedStage[], estimates: Estimates): string {
  return [...estimateTableChunks(stages, estimates)].join("\n");
}

/** {@linkcode estimateTable}'s text in pieces of lines; nothing when no stage will run. */
export function* estimateTableChunks(
  stages: readonly PlannedStage[],
  estimates: Estimates,
): Generator<string> {
  if (stages.length === 0) return;
  const rows = stages.map((stage) => {
    const estimate = estimates.get(stage);
    return [stage.id, formatEstimate(estimate?.seconds), estimate?.basis ?? "no earlier run"];
  });
  yield* formatTableChunks(["stage", "estimate", "based on"], rows);
  yield `estimated time: ${describeTotal(stages, estimates)}`;
}
