import { formatTable, stageLabel } from "./format_table.ts";
import type { Outcome, StageResult } from "../run/run_pipeline.ts";

const ORDER: Outcome[] = ["run", "restored", "fresh", "failed", "skipped"];

/**
 * The table printed at the end of `run`: stage, outcome, time; then counts per outcome,
 * e.g. `2 run, 0 restored, 5 fresh, 0 failed, 0 skipped` (plus `, 1 interrupted` when a stage
 * was stopped), and ` in 12.3 s` when the total wall time is given.
 */
export function summaryTable(results: readonly StageResult[], totalSeconds?: number): string {
  const rows = results.map((r) => [stageLabel(r.stage), r.outcome, `${r.seconds.toFixed(1)}s`]);
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const counts = ORDER.map((o) => `${count(o)} ${o}`);
  if (count("interrupted") > 0) counts.push(`${count("interrupted")} interrupted`);
  const total = totalSeconds === undefined ? "" : ` in ${totalSeconds.toFixed(1)} s`;
  return `${formatTable(["stage", "outcome", "time"], rows)}\n${counts.join(", ")}${total}`;
}
