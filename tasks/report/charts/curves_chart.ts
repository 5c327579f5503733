/**
 * Small multiples per model, as lab reports 001 and 003 draw them: one row per configuration,
 * train vs validation loss, top-1 (and validation top-5 with ≥ 10 classes) side by side.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import type { StoredEpoch as EpochRecord } from "../../artifacts/history.ts";
import { epochX, percentScale, positiveScale } from "./axes.ts";
import { chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";
import { groupCurve } from "./group_curve.ts";
import { maxOf, minOf } from "../extent.ts";

/** One column of the grid. */
interface Column {
  metric: "loss" | "top-1" | "top-5";
  title: string;
  series: { split: "train" | "validation"; pick: (e: EpochRecord) => number | null }[];
}

const COLUMNS: Column[] = [
  {
    metric: "loss",
    title: "loss",
    series: [
      { split: "train", pick: (e) => e.train_loss },
      { split: "validation", pick: (e) => e.val_loss },
    ],
  },
  {
    metric: "top-1",
    title: "top-1 accuracy",
    series: [
      { split: "train", pick: (e) => e.train_acc },
      { split: "validation", pick: (e) => e.val_top1 },
    ],
  },
  {
    metric: "top-5",
    title: "top-5 accuracy",
    series: [{ split: "validation", pick: (e) => e.val_top5 }],
  },
];

/** Top-5 says something only when there are at least this many classes. */
const MIN_TOP5_CLASSES = 10;

/**
 * Builds the grid: rows are seed groups in config order (seeds as mean line and min–max band),
 * columns loss, top-1 and, with ≥ 10 classes, top-5. Each cell has its own y axis; all share
 * the epoch axis.
 * @returns null when no run has a history
 */
export function curvesChart(data: ReportData, size: ChartSize): ChartBlock | null {
  const classes = maxOf(data.results.map((r) => r.metrics.class_names.length));
  const columns = COLUMNS.filter((c) => c.metric !== "top-5" || classes >= MIN_TOP5_CLASSES);
  const values = data.seedGroups.flatMap((group, row) =>
    columns.flatMap((column) =>
      column.series.flatMap((series) =>
        groupCurve(group, series.pick).map((p) => ({
          row,
          metric: column.metric,
          split: series.split,
          ...p,
        }))
      )
    )
  );
  if (values.length === 0) return null;
  const epochs = values.map((v) => v.epoch);
  const dotted = new Set(epochs).size <= 30;
  const banded = values.some((v) => v.seeds > 1);
  const cellWidth = Math.max(
    150,
    Math.floor((size.width - 40 * (columns.length - 1)) / columns.length),
  );
  const cellHeight = Math.max(100, Math.round(size.height * 0.5));
  const x = epochX(epochs, cellWidth);
  const color = {
    field: "split",
    type: "nominal",
    title: "split",
    scale: { domain: ["train", "validation"], range: ["#4c78a8", "#f58518"] },
    // A line symbol, whichever layer (band or line) the legend is merged from.
    legend: { symbolType: "stroke", symbolStrokeWidth: 2, symbolOpacity: 1 },
  } as const;
  const rows = data.seedGroups.flatMap((group, row) => {
    const cells = columns.flatMap((column) => {
      const own = values.filter((v) => v.row === row && v.metric === column.metric);
      if (own.length === 0) return [];
      const range = own.flatMap((v) => [v.lo, v.hi]);
      const y = column.metric === "loss"
        ? positiveScale(range, 30)
        : percentScale(minOf(range), maxOf(range), cellHeight);
      const yEncoding = {
        field: "mean",
        type: "quantitative",
        title: "log" in y && y.log ? `${column.title} (log)` : column.title,
        scale: y.scale,
        ...("axis" in y ? { axis: y.axis } : {}),
      } as const;
      return [{
        width: cellWidth,
        height: cellHeight,
        transform: [
          { filter: { field: "row", equal: row } },
          { filter: { field: "metric", equal: column.metric } },
        ],
        layer: [
          ...(banded
            ? [{
              mark: { type: "area" as const, opacity: 0.2 },
              encoding: { x, y: { ...yEncoding, field: "lo" }, y2: { field: "hi" }, color },
            }]
            : []),
          {
            mark: { type: "line" as const, point: dotted, strokeWidth: 1.5 },
            encoding: {
              x,
              y: yEncoding,
              color,
              tooltip: [
                { field: "split", type: "nominal" as const },
                { field: "epoch", type: "quantitative" as const },
                {
                  field: "mean",
                  type: "quantitative" as const,
                  title: column.title,
                  format: column.metric === "loss" ? ".4f" : ".2%",
                },
                { field: "seeds", type: "quantitative" as const },
              ],
            },
          },
        ],
      }];
    });
    if (cells.length === 0) return [];
    const seeds = group.results.length;
    return [{
      title: {
        text: seeds > 1 ? `${group.label} (${seeds} seeds)` : group.label,
        fontSize: 12,
        anchor: "start" as const,
      },
      hconcat: cells,
    }];
  });
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: banded
      ? "Per model: train vs validation (mean of seeds, band: min–max)"
      : "Per model: train vs validation",
    data: { values },
    vconcat: rows,
    resolve: { scale: { y: "independent" } },
    config: chartConfig(),
  } as TopLevelSpec;
  return { kind: "chart", name: "curves", title: "Training curves per model", spec };
}
