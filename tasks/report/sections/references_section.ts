/**
 * Measured results next to the numbers they should reproduce (the lab reports' tables).
 * @module
 */
import { formatMeanStd, formatMetric } from "../format_metric.ts";
import { groupStats } from "../group_stats.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/**
 * One row per seed group with a reference (matched by run name, group label, then experiment):
 * reference and measured top-1, top-5 and loss with the difference in points (percent) or
 * absolute (fraction, loss). References that match no run are listed under the table.
 * @returns no blocks when the options name no references
 */
export function referencesSection(data: ReportData): Block[] {
  const references = data.params.options.references;
  const keys = Object.keys(references);
  if (keys.length === 0) return [];
  const f = data.format;
  const used = new Set<string>();
  const rows: string[][] = [];
  for (const group of data.seedGroups) {
    const first = group.results[0].run;
    const key = [first.name, group.label, first.experiment].find((k) => k in references);
    if (key === undefined) continue;
    used.add(key);
    const ref = references[key];
    const stats = groupStats(group.results);
    const delta = (measured: number, expected: number | undefined, kind: "accuracy" | "loss") => {
      if (expected === undefined || !Number.isFinite(measured)) return "—";
      const d = measured - expected;
      const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
      if (kind === "loss") return `${sign}${Math.abs(d).toFixed(4)}`;
      return f.accuracy === "fraction"
        ? `${sign}${Math.abs(d).toFixed((f.decimals ?? 2) + 2)}`
        : `${sign}${(Math.abs(d) * 100).toFixed(f.decimals ?? 2)} pt`;
    };
    rows.push([
      group.label,
      formatMetric("accuracy", ref.top1 ?? null, f),
      formatMeanStd("accuracy", stats.top1, f),
      delta(stats.top1.mean, ref.top1, "accuracy"),
      formatMetric("accuracy", ref.top5 ?? null, f),
      formatMeanStd("accuracy", stats.top5, f),
      delta(stats.top5.mean, ref.top5, "accuracy"),
      formatMetric("loss", ref.loss ?? null),
      formatMeanStd("loss", stats.loss, f),
      ref.source ?? "",
    ]);
  }
  // A reference of a run the config skipped: its row says so instead of a measurement.
  for (const skipped of data.params.not_run ?? []) {
    const key = [skipped.name, skipped.experiment].find((k) => k in references && !used.has(k));
    if (key === undefined) continue;
    used.add(key);
    const ref = references[key];
    rows.push([
      skipped.name,
      formatMetric("accuracy", ref.top1 ?? null, f),
      "not run",
      "—",
      formatMetric("accuracy", ref.top5 ?? null, f),
      "not run",
      "—",
      formatMetric("loss", ref.loss ?? null),
      "not run",
      ref.source ?? "",
    ]);
  }
  const unmatched = keys.filter((k) => !used.has(k));
  return [
    { kind: "heading", level: 2, text: "Against the reference results" },
    {
      kind: "table",
      headers: [
        "Run",
        "Reference top-1",
        "Measured",
        "Δ",
        "Reference top-5",
        "Measured",
        "Δ",
        "Reference loss",
        "Measured",
        "Source",
      ],
      align: [
        "left",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "left",
      ],
      rows,
      notes: [
        "Measured: test metrics (mean ± std over seeds)" +
        (f.accuracy === "fraction" ? "" : "; accuracy differences in percentage points") +
        ". Reduced runs (see Notes) cannot be expected to match.",
        ...(unmatched.length > 0
          ? [`References naming no run: ${unmatched.map((k) => `\`${k}\``).join(", ")}.`]
          : []),
      ],
    },
  ];
}
