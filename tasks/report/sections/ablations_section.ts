/**
 * One table (and chart) per sweep group, as in lab report 002: swept value → loss, top-1, top-5.
 * @module
 */
import { formatSweepValue } from "../ablation_groups.ts";
import { ablationChart } from "../charts/ablation_chart.ts";
import { formatMeanStd } from "../format_metric.ts";
import { groupStats } from "../group_stats.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/**
 * A table per (experiment, sweep): one column per swept key, then loss / top-1 / top-5 (mean ±
 * std when a value ran with several seeds). The best top-1 of each table is bold.
 * @returns no blocks when no run belongs to a sweep
 */
export function ablationsSection(data: ReportData): Block[] {
  if (data.ablations.length === 0) return [];
  const { options } = data.params;
  const f = data.format;
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Ablations" }];
  for (const group of data.ablations) {
    const stats = group.points.map((p) => groupStats(p.results, options.ablation_metrics));
    const withSeeds = group.points.some((p) => p.results.length > 1);
    const bestTop1 = Math.max(
      ...stats.map((s) => (Number.isFinite(s.top1.mean) ? s.top1.mean : -1)),
    );
    blocks.push({ kind: "heading", level: 3, text: `${group.sweep} — ${group.experiment}` });
    blocks.push({
      kind: "table",
      headers: [
        ...group.keys.map((k) => `\`${k}\``),
        ...(withSeeds ? ["Seeds"] : []),
        "Loss",
        "Top-1",
        "Top-5",
      ],
      align: [
        ...group.keys.map(() => "left" as const),
        ...(withSeeds ? ["right" as const] : []),
        "right",
        "right",
        "right",
      ],
      rows: group.points.map((point, i) => {
        const s = stats[i];
        const top1 = formatMeanStd("accuracy", s.top1, f);
        return [
          ...group.keys.map((k) => formatSweepValue(point.values[k])),
          ...(withSeeds ? [String(point.results.length)] : []),
          formatMeanStd("loss", s.loss, f),
          s.top1.mean === bestTop1 ? `**${top1}**` : top1,
          formatMeanStd("accuracy", s.top5, f),
        ];
      }),
      notes: [
        (options.ablation_metrics === "test"
          ? "Test-set metrics. "
          : "Validation metrics at each run's best epoch (by top-1). ") +
        `Runs: ${group.points.flatMap((p) => p.results.map((r) => r.run.name)).join(", ")}.`,
      ],
    });
    if (options.charts.ablations) {
      blocks.push(
        ablationChart(group, { width: options.chart_width, height: options.chart_height }, {
          source: options.ablation_metrics,
        }),
      );
    }
  }
  return blocks;
}
