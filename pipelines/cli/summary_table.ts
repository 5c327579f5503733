import { formatTable, stageLabel } from "./format_table.ts";
import type { Outcome, StageResult } from "../run/run_pipeline.ts";

const ORDER: Outcome[] = ["run", "restored", "fresh", "failed", "skipped"];

/**
 * The table printed at the end of `run`: stage, outcome, time (and, with `where`, where each
 * stage ran or still runs: `slurm job 17`); then counts per outcome, e.g.
 * `2 run, 0 restored, 5 fresh, 0 failed, 0 skipped` (`, 3 submitted` when any were left
 * running), and ` in 12.3 s` when the total wall time is given.
 */
export function summaryTable(
  results: readonly StageResult[],
  totalSeconds?: number,
  options: { where?: boolean } = {},
): string {
  const rows = results.map((r) => [
    stageLabel(r.stage),
    r.outcome,
    `${r.seconds.toFixed(1)}s`,
    ...(options.where ? [r.execution ?? ""] : []),
  ]);
  const header = ["stage", "outcome", "time", ...(options.where ? ["where"] : [])];
  const shown = results.some((r) => r.outcome === "submitted") ? [...ORDER, "submitted"] : ORDER;
  const counts = shown.map((o) => `${results.filter((r) => r.outcome === o).length} ${o}`);
  const total = totalSeconds === undefined ? "" : ` in ${totalSeconds.toFixed(1)} s`;
  return `${formatTable(header, rows)}\n${counts.join(", ")}${total}`;
}
