/**
 * Mean ± std over runs that differ only by their seed.
 * @module
 */
import { formatMeanStd } from "../format_metric.ts";
import { groupStats } from "../group_stats.ts";
import type { RunResult } from "../load_run_results.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/**
 * One row per config that ran with more than one seed (sample std, n − 1).
 * @returns no blocks when every config ran with a single seed
 */
export function seedsSection(data: ReportData): Block[] {
  const groups = data.seedGroups.filter((g) => g.results.length > 1);
  if (groups.length === 0) return [];
  const f = data.format;
  return [
    { kind: "heading", level: 2, text: "Across seeds" },
    {
      kind: "paragraph",
      text: "Runs that differ only by their seed, as mean ± sample standard deviation. " +
        "Diverged seeds are left out of the mean and listed in the results table.",
    },
    {
      kind: "table",
      headers: ["Config", "Seeds", "Test top-1", "Top-5", "Loss", "Epochs", "Train time"],
      align: ["left", "left", "right", "right", "right", "right", "right"],
      rows: groups.map((g) => {
        const diverged = (r: RunResult) => data.flags.get(r)!.some((f) => f.kind === "diverged");
        const s = groupStats(g.results.filter((r) => !diverged(r)));
        return [
          g.label,
          g.results.map((r) => `${r.run.seed}${diverged(r) ? " (diverged)" : ""}`).join(", "),
          formatMeanStd("accuracy", s.top1, f),
          formatMeanStd("accuracy", s.top5, f),
          formatMeanStd("loss", s.loss, f),
          formatMeanStd("count", s.epochs, f),
          formatMeanStd("seconds", s.seconds, f),
        ];
      }),
    },
  ];
}
