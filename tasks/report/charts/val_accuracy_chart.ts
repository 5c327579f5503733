/**
 * Validation top-1 accuracy vs epoch for every run.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import { categoryScheme, chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";
import { seedGroupLabels } from "./seed_group_labels.ts";

/**
 * One line per run, coloured by seed group (the seeds of a config share a colour).
 * Clicking a legend entry highlights that group in the HTML report.
 * @returns null when no run has a validation accuracy
 */
export function valAccuracyChart(data: ReportData, size: ChartSize): ChartBlock | null {
  const groupOf = seedGroupLabels(data);
  const values = data.results.flatMap((r) =>
    r.history
      .filter((e) => e.val_top1 !== null && Number.isFinite(e.val_top1))
      .map((e) => ({
        run: r.run.name,
        group: groupOf.get(r)!,
        epoch: e.epoch,
        val_top1: e.val_top1,
      }))
  );
  if (values.length === 0) return null;
  const groups = new Set(values.map((v) => v.group)).size;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: "Validation top-1 accuracy per epoch",
    width: size.width,
    height: size.height,
    data: { values },
    params: [{ name: "pick", select: { type: "point", fields: ["group"] }, bind: "legend" }],
    mark: { type: "line", point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
      y: {
        field: "val_top1",
        type: "quantitative",
        title: "validation top-1",
        axis: { format: ".0%" },
        scale: { zero: false },
      },
      color: {
        field: "group",
        type: "nominal",
        title: "run",
        scale: { scheme: categoryScheme(groups) },
      },
      detail: { field: "run", type: "nominal" },
      opacity: { condition: { param: "pick", value: 1 }, value: 0.15 },
      tooltip: [
        { field: "run", type: "nominal" },
        { field: "epoch", type: "quantitative" },
        { field: "val_top1", type: "quantitative", title: "val top-1", format: ".2%" },
      ],
    },
    config: chartConfig(),
  };
  return { kind: "chart", name: "val-accuracy", title: "Validation accuracy", spec };
}
