/**
 * Learning rate vs epoch, as the training loop actually used it.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import { epochX, positiveScale } from "./axes.ts";
import { categoryScheme, chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";

/**
 * A step line per seed group (its seeds share a schedule; a plateau schedule may differ, the
 * first seed is drawn). The y axis is logarithmic when the rates span more than a factor of 20.
 * @returns null when no run changes its learning rate during training (a constant rate is in
 *   the setup table; a chart of flat lines, or of one dot per run, says nothing more)
 */
export function lrScheduleChart(data: ReportData, size: ChartSize): ChartBlock | null {
  const values = data.seedGroups.flatMap((group) =>
    group.results[0].history
      .filter((e) => e.lr !== null && Number.isFinite(e.lr))
      .map((e) => ({ run: group.label, epoch: e.epoch, lr: e.lr as number }))
  );
  const changes = data.results.some((r) => {
    const rates = r.history.map((e) => e.lr).filter((v) => v !== null && Number.isFinite(v));
    return new Set(rates).size > 1;
  });
  if (values.length === 0 || !changes) return null;
  const y = positiveScale(values.map((v) => v.lr), 20);
  const groups = new Set(values.map((v) => v.run)).size;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: "Learning rate per epoch",
    width: size.width,
    height: Math.round(size.height * 0.75),
    data: { values },
    params: [{ name: "pick", select: { type: "point", fields: ["run"] }, bind: "legend" }],
    mark: { type: "line", interpolate: "step-after", point: true, strokeWidth: 1.5 },
    encoding: {
      x: epochX(values.map((v) => v.epoch), size.width),
      y: {
        field: "lr",
        type: "quantitative",
        title: "learning rate",
        scale: y.scale,
        axis: "axis" in y ? y.axis : { format: ".2~g" },
      },
      color: {
        field: "run",
        type: "nominal",
        title: "run",
        sort: data.seedGroups.map((g) => g.label),
        scale: { scheme: categoryScheme(groups) },
      },
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
