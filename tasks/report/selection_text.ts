/**
 * The sentences that state which configuration was selected, on what, and whether it beats the
 * runner-up by more than seed noise.
 * @module
 */
import { formatMeanStd, formatMetric, type FormatMetricOptions } from "./format_metric.ts";
import type { SeedGroup } from "./group_by_seed.ts";
import { groupStats } from "./group_stats.ts";
import { rankMetricLabels } from "./rank_runs.ts";
import type { ReportData } from "./report_data.ts";
import { ALPHA } from "./select_best.ts";
import { confidenceInterval95 } from "./stats/confidence_interval.ts";

/** Test top-1 of a group: "89.40 ± 0.70 % (95 % CI 87.66–91.14 %, 3 seeds)" or "91.20 %". */
export function groupTop1Text(
  group: SeedGroup,
  format: FormatMetricOptions,
  data: ReportData,
): string {
  const healthy = group.results.filter((r) =>
    !data.flags.get(r)!.some((f) => f.kind === "diverged")
  );
  const stat = groupStats(healthy.length > 0 ? healthy : group.results).top1;
  const ci = confidenceInterval95(stat, { lo: 0, hi: 1 });
  const mean = formatMeanStd("accuracy", stat, format);
  return ci ? `${mean} (95 % CI ${formatInterval(ci, format)}, ${stat.n} seeds)` : mean;
}

/** "87.66–91.14 %" (percent) or "0.8766–0.9114" (fraction). */
export function formatInterval(
  ci: { lo: number; hi: number },
  format: FormatMetricOptions,
): string {
  if ((format.accuracy ?? "percent") === "percent") {
    const d = format.decimals ?? 2;
    return `${(ci.lo * 100).toFixed(d)}–${(ci.hi * 100).toFixed(d)} %`;
  }
  return `${formatMetric("accuracy", ci.lo, format)}–${formatMetric("accuracy", ci.hi, format)}`;
}

/** A p-value as shown: "p = 0.432" (3 significant digits), "p < 0.001" below that. */
export function formatP(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${Number(p.toPrecision(3))}`;
}

/**
 * The selection sentence and the verdict, e.g. "Selected by validation top-1 (last epoch):
 * **lenet** (test top-1 …). No significant difference from the runner-up net (…)."
 * @returns empty when no run is healthy
 */
export function selectionSentences(data: ReportData): string[] {
  const { selection, format } = data;
  if (!selection.group || !selection.run) return [];
  const { verdict } = selection;
  const name = verdict.kind === "significant"
    ? `**${selection.group.label}**`
    : selection.group.label;
  const seeds = selection.group.results.length > 1;
  const m = selection.run.metrics;
  const numbers = seeds
    ? `test top-1 ${groupTop1Text(selection.group, format, data)}; its best seed ` +
      `${selection.run.run.name}: ${formatMetric("accuracy", m.top1, format)}`
    : `test top-1 ${formatMetric("accuracy", m.top1, format)}, ` +
      `top-5 ${formatMetric("accuracy", m.top5, format)}, loss ${formatMetric("loss", m.loss)}`;
  const sentences = [`Selected by ${rankMetricLabels[selection.metric]}: ${name} (${numbers}).`];
  if (selection.metric.startsWith("test_")) {
    sentences.push(
      "⚠ Selected on the test set (`report.rank_by`), so its test numbers are optimistic.",
    );
  }
  const level = `Welch's t-test on the seeds' test top-1, two-sided, α = ${ALPHA}`;
  switch (verdict.kind) {
    case "alone":
      break;
    case "untestable":
      sentences.push(
        `Not marked as the winner: ${selection.group.label} or the runner-up ` +
          `${verdict.runnerUp.label} has a single seed, so the difference cannot be tested ` +
          "(`seeds: 3` in the config gives each configuration a spread).",
      );
      break;
    case "significant":
    case "not-significant": {
      const versus = `${groupTop1Text(selection.group, format, data)} vs ` +
        `${groupTop1Text(verdict.runnerUp, format, data)}`;
      sentences.push(
        verdict.kind === "significant"
          ? `Significantly better than the runner-up ${verdict.runnerUp.label}: ${versus}; ` +
            `${level}: ${formatP(verdict.test.p)}.`
          : `No significant difference from the runner-up ${verdict.runnerUp.label}: ${versus}; ` +
            `${level}: ${formatP(verdict.test.p)}.`,
      );
    }
  }
  return sentences;
}
