/**
 * Mean ± std and 95 % confidence intervals over runs that differ only by their seed.
 * @module
 */
import { formatMeanStd, MISSING } from "../format_metric.ts";
import { groupStats } from "../group_stats.ts";
import type { RunResult } from "../load_run_results.ts";
import { meanStd } from "../mean_std.ts";
import { rankValue } from "../rank_runs.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";
import { formatInterval } from "../selection_text.ts";
import { confidenceInterval95 } from "../stats/confidence_interval.ts";

/**
 * One row per config that ran with more than one seed (sample std, n − 1; the interval uses
 * Student's t with n − 1 degrees of freedom). The selected configuration's test top-1 is bold
 * only when Welch's t-test finds it better than the runner-up's.
 * @returns no blocks when every config ran with a single seed
 */
export function seedsSection(data: ReportData): Block[] {
  const groups = data.seedGroups.filter((g) => g.results.length > 1);
  if (groups.length === 0) return [];
  const f = data.format;
  const winner = data.selection.verdict.kind === "significant" ? data.selection.group : null;
  return [
    { kind: "heading", level: 2, text: "Across seeds" },
    {
      kind: "paragraph",
      text: "Runs that differ only by their seed, as mean ± sample standard deviation and the " +
        "95 % confidence interval of the mean (Student's t). Diverged seeds are left out of " +
        "the mean and listed in the results table.",
    },
    {
      kind: "table",
      headers: ["Config", "Seeds", "Val top-1", "Test top-1", "95 % CI", "Top-5", "Loss", "Epochs"],
      align: ["left", "left", "right", "right", "right", "right", "right", "right"],
      rows: groups.map((g) => {
        const diverged = (r: RunResult) => data.flags.get(r)!.some((f) => f.kind === "diverged");
        const healthy = g.results.filter((r) => !diverged(r));
        const s = groupStats(healthy);
        const ci = confidenceInterval95(s.top1, { lo: 0, hi: 1 });
        const top1 = formatMeanStd("accuracy", s.top1, f);
        return [
          g.label,
          g.results.map((r) => `${r.run.seed}${diverged(r) ? " (diverged)" : ""}`).join(", "),
          formatMeanStd("accuracy", meanStd(healthy.map((r) => rankValue(r, "val_top1"))), f),
          g === winner ? `**${top1}**` : top1,
          ci ? formatInterval(ci, f) : MISSING,
          formatMeanStd("accuracy", s.top5, f),
          formatMeanStd("loss", s.loss, f),
          formatMeanStd("count", s.epochs, f),
        ];
      }),
    },
  ];
}
