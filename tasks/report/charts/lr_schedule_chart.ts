/**
 * Learning rate vs epoch, as the training loop actually used it.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import { categoryScheme, chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";
import { seedGroupLabels } from "./seed_group_labels.ts";

/**
 * A step line per run. The y axis is logarithmic when the rates span more than a factor of 20
 * (step decay by 0.1 would otherwise flatten to zero).
 * @returns null when no epoch records a learning rate
 */
export function lrScheduleChart(data: ReportData, size: ChartSize): ChartBlock | null {
  const groupOf = seedGroupLabels(data);
  const values = data.results.flatMap((r) =>
    r.history
      .filter((e) => e.lr !== null && Number.isFinite(e.lr))
      .map((e) => ({ run: r.run.name, group: groupOf.get(r)!, epoch: e.epoch, lr: e.lr as number }))
  );
  if (values.length === 0) return null;
  const rates = values.map((v) => v.lr);
  const min = Math.min(...rates);
  const max = Math.max(...rates);
  const log = min > 0 && max / min > 20;
  const groups = new Set(values.map((v) => v.group)).size;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: "Learning rate per epoch",
    width: size.width,
    height: Math.round(size.height * 0.75),
    data: { values },
    params: [{ name: "pick", select: { type: "point", fields: ["group"] }, bind: "legend" }],
    mark: { type: "line", interpolate: "step-after", point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
      y: {
        field: "lr",
        type: "quantitative",
        title: "learning rate",
        scale: log ? { type: "log" } : { zero: false },
        axis: { format: ".2~g" },
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
        { field: "lr", type: "quantitative", title: "learning rate", format: ".3~g" },
      ],
    },
    config: chartConfig(),
  };
  return { kind: "chart", name: "lr-schedule", title: "Learning-rate schedule", spec };
}
