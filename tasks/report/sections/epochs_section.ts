/**
 * Validation accuracy of every run, epoch by epoch (the lab reports' training logs as a table).
 * @module
 */
import { formatMetric } from "../format_metric.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/**
 * Rows are epochs, columns runs, split into several tables of at most
 * `options.epoch_table_columns` runs; a last row gives the test top-1. Each run's best
 * validation epoch is bold. Past `options.epoch_table_rows` epochs only every k-th epoch, the
 * last and the best ones are shown.
 * @returns no blocks when no run has a history
 */
export function epochsSection(data: ReportData): Block[] {
  const runs = data.results.filter((r) => r.history.length > 0);
  if (runs.length === 0) return [];
  const per = data.params.options.epoch_table_columns;
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: "Validation accuracy per epoch" },
  ];
  for (let start = 0; start < runs.length; start += per) {
    const chunk = runs.slice(start, start + per);
    const all = [...new Set(chunk.flatMap((r) => r.history.map((e) => e.epoch)))].sort((a, b) =>
      a - b
    );
    const bestEpoch = chunk.map((r) => {
      let best: number | null = null;
      let bestValue = -Infinity;
      for (const e of r.history) {
        if (e.val_top1 !== null && Number.isFinite(e.val_top1) && e.val_top1 > bestValue) {
          bestValue = e.val_top1;
          best = e.epoch;
        }
      }
      return best;
    });
    const maxRows = data.params.options.epoch_table_rows;
    const step = Math.ceil(all.length / maxRows);
    const epochs = step <= 1
      ? all
      : all.filter((epoch, i) =>
        i % step === step - 1 || i === all.length - 1 || bestEpoch.includes(epoch)
      );
    const rows = epochs.map((epoch) => [
      String(epoch),
      ...chunk.map((r, i) => {
        const record = r.history.find((e) => e.epoch === epoch);
        const text = formatMetric("accuracy", record?.val_top1, data.format);
        return record && epoch === bestEpoch[i] ? `**${text}**` : text;
      }),
    ]);
    rows.push(["test", ...chunk.map((r) => formatMetric("accuracy", r.metrics.top1, data.format))]);
    blocks.push({
      kind: "table",
      headers: ["Epoch", ...chunk.map((r) => r.run.name)],
      align: ["right", ...chunk.map(() => "right" as const)],
      rows,
      notes: step > 1
        ? [
          `Every ${ordinal(step)} epoch, the last and each run's best (bold); ` +
          "metrics/epochs.csv has every epoch.",
        ]
        : [],
    });
  }
  return blocks;
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}
