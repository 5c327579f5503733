/**
 * One table (and chart) per sweep group, as in lab report 002: swept value → loss, top-1, top-5.
 * @module
 */
import { formatSweepValue } from "../ablation_groups.ts";
import { ablationChart } from "../charts/ablation_chart.ts";
import { formatMeanStd } from "../format_metric.ts";
import { bestValidation, groupStats } from "../group_stats.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";
import { ALPHA } from "../select_best.ts";
import { formatP } from "../selection_text.ts";
import { welchTTest } from "../stats/welch_t_test.ts";

/**
 * A table per (experiment, sweep): one column per swept key, then loss / top-1 / top-5 (mean ±
 * std when a value ran with several seeds). The best top-1 of a table is bold only when Welch's
 * t-test finds it better than the second best (both with ≥ 2 seeds, α = 0.05); a note says
 * which case holds.
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
    const order = stats
      .map((s, i) => ({ i, mean: Number.isFinite(s.top1.mean) ? s.top1.mean : -1 }))
      .sort((a, b) => b.mean - a.mean || a.i - b.i);
    const [first, second] = order;
    const top1Of = (i: number) =>
      group.points[i].results.map((r) =>
        options.ablation_metrics === "test" ? r.metrics.top1 : bestValidation(r).top1
      );
    const test = second ? welchTTest(top1Of(first.i), top1Of(second.i)) : null;
    const winner = test && test.p < ALPHA && test.t > 0 ? first.i : -1;
    const label = (i: number) => group.points[i].label;
    const verdict = !second
      ? ""
      : !test
      ? ` No value is marked best: with a single seed per value no difference can be tested.`
      : winner >= 0
      ? ` ${label(first.i)} is better than ${label(second.i)} (Welch's t-test, two-sided, ` +
        `${formatP(test.p)}, α = ${ALPHA}).`
      : ` No significant difference between the two best, ${label(first.i)} and ` +
        `${label(second.i)} (Welch's t-test, two-sided, ${formatP(test.p)}).`;
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
          i === winner ? `**${top1}**` : top1,
          formatMeanStd("accuracy", s.top5, f),
        ];
      }),
      notes: [
        (options.ablation_metrics === "test"
          ? "Test-set metrics. "
          : "Validation metrics at each run's best epoch (by top-1). ") +
        `Runs: ${group.points.flatMap((p) => p.results.map((r) => r.run.name)).join(", ")}.` +
        verdict,
      ],
    });
    if (options.charts.ablations) {
      const classes = Math.max(
        ...group.points.flatMap((p) => p.results.map((r) => r.metrics.class_names.length)),
      );
      blocks.push(
        ablationChart(group, { width: options.chart_width, height: options.chart_height }, {
          source: options.ablation_metrics,
          top5: classes >= 10,
        }),
      );
    }
  }
  return blocks;
}
