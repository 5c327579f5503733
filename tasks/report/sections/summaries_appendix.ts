/**
 * Appendix: the layer-by-layer summary of every distinct model.
 * @module
 */
import { canonicalJson } from "../group_by_seed.ts";
import { formatMetric } from "../format_metric.ts";
import type { RunResult } from "../load_run_results.ts";
import type { StoredModelSummary as ModelSummary } from "../../artifacts/model_summary.ts";
import { summaryRows } from "../summary_rows.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";
import { modelName } from "./results_section.ts";

/**
 * One table per distinct summary: runs whose models have the same layers (e.g. seeds, or a
 * dropout sweep, which changes no shape) share a table.
 * @returns no blocks when no run wrote summary.json
 */
export function summariesAppendix(data: ReportData): Block[] {
  const models = new Map<string, RunResult[]>();
  for (const r of data.results) {
    if (!r.summary) continue;
    const key = canonicalJson([modelName(r), r.summary]);
    models.set(key, [...(models.get(key) ?? []), r]);
  }
  if (models.size === 0) return [];
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Appendix: model summaries" }];
  for (const runs of models.values()) {
    const summary = runs[0].summary!;
    const folded = summaryRows(summary, data.params.options.summary_rows);
    const names = runs.map((r) => r.run.name);
    const shown = names.length > 4
      ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more`
      : names.join(", ");
    // summary.json counts mult-adds for one batch of `batchSize` (torchinfo's convention).
    const batch = summary.batchSize;
    const multAdds = !summary.multAdds
      ? ""
      : batch
      ? `, ${formatMetric("integer", summary.multAdds / batch)} mult-adds per image ` +
        `(${formatMetric("integer", summary.multAdds)} per batch of ${batch})`
      : `, ${formatMetric("integer", summary.multAdds)} mult-adds`;
    blocks.push(
      { kind: "heading", level: 3, text: `${modelName(runs[0])} (${shown})` },
      {
        kind: "paragraph",
        text: `${formatMetric("integer", summary.totalParams)} parameters ` +
          `(${formatMetric("integer", summary.trainableParams)} trainable)${multAdds}.` +
          memory(summary),
      },
      ...(folded.depth === null ? [] : [{
        kind: "paragraph" as const,
        text: `${summary.rows.length} layers, grouped by the first ${folded.depth} part` +
          `${folded.depth === 1 ? "" : "s"} of their names; summary.json lists every layer.`,
      }]),
      {
        kind: "table",
        headers: [
          "Layer",
          "Type",
          "Output shape",
          "Params",
          batch ? `Mult-adds (batch of ${batch})` : "Mult-adds",
        ],
        align: ["left", "left", "left", "right", "right"],
        rows: [
          ...folded.rows.map((row) => [
            row.name,
            row.type,
            formatShape(row.outputShape),
            formatMetric("integer", row.params),
            formatMetric("integer", row.multAdds),
          ]),
          [
            "**total**",
            "",
            "",
            `**${formatMetric("integer", summary.totalParams)}**`,
            summary.multAdds ? `**${formatMetric("integer", summary.multAdds)}**` : "—",
          ],
        ],
      },
    );
  }
  return blocks;
}

function formatShape(shape: unknown): string {
  if (typeof shape === "string") return shape;
  if (Array.isArray(shape)) {
    if (shape.length > 0 && shape.every(Array.isArray)) return shape.map(formatShape).join(", ");
    return `[${shape.map((d) => (d === null ? "b" : String(d))).join(", ")}]`;
  }
  return String(shape);
}

function memory(summary: ModelSummary): string {
  if (summary.totalMB === undefined || summary.batchSize === undefined) return "";
  const mb = (v: number | undefined) => (v === undefined ? "—" : `${v.toFixed(1)} MB`);
  return ` Estimated memory at batch size ${summary.batchSize}: ${mb(summary.totalMB)} ` +
    `(parameters ${mb(summary.paramsMB)}, forward/backward ${mb(summary.forwardBackwardMB)}).`;
}
