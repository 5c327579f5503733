/**
 * Overlaid learning curves of the two sides of a comparison: validation top-1 and loss per
 * epoch, side A and side B in two colours, one line per run.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { chartConfig, VEGA_LITE_SCHEMA } from "../report/charts/chart_config.ts";
import type { ChartBlock } from "../report/report_document.ts";
import type { Comparison } from "./compare_runs.ts";

/** Plot area of the comparison charts. */
const SIZE = { width: 560, height: 280 };

function points(comparison: Comparison, sides: { a: string; b: string }) {
  return comparison.pairs.flatMap((pair) =>
    (["a", "b"] as const).flatMap((side) =>
      pair[side].flatMap((run) =>
        run.epochs.map((e) => ({
          side: sides[side],
          pair: pair.label,
          run: `${side.toUpperCase()}: ${run.run.name}`,
          epoch: e.epoch,
          val_top1: e.val_top1,
          val_loss: e.val_loss,
          train_loss: e.train_loss,
        }))
      )
    )
  );
}

/**
 * The charts of a comparison.
 * @param sides legend labels of the two sides (`A: smoke #3`).
 * @returns no chart when no run has a per-epoch history.
 */
export function compareCharts(
  comparison: Comparison,
  sides: { a: string; b: string },
): ChartBlock[] {
  const values = points(comparison, sides);
  if (values.length === 0) return [];
  const color = {
    field: "side",
    type: "nominal" as const,
    title: "side",
    scale: { domain: [sides.a, sides.b], range: ["#4c78a8", "#e45756"] },
  };
  // Several pairs: one panel each, side by side.
  const many = comparison.pairs.length > 1;
  const panels = many
    ? { column: { field: "pair", type: "nominal" as const, title: null, sort: null } }
    : {};
  const size = many ? { width: 320, height: SIZE.height } : SIZE;
  const x = { field: "epoch", type: "quantitative" as const, axis: { tickMinStep: 1 } };
  const accuracy: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: "Validation top-1 per epoch",
    ...size,
    data: { values: values.filter((v) => v.val_top1 !== null) },
    mark: { type: "line", point: true },
    encoding: {
      x,
      y: {
        field: "val_top1",
        type: "quantitative",
        title: "validation top-1",
        axis: { format: ".0%" },
        scale: { zero: false },
      },
      color,
      detail: { field: "run", type: "nominal" },
      ...panels,
      tooltip: [
        { field: "run", type: "nominal" },
        { field: "epoch", type: "quantitative" },
        { field: "val_top1", type: "quantitative", title: "val top-1", format: ".2%" },
      ],
    },
    config: chartConfig(),
  };
  const loss: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: "Loss per epoch (solid: validation, dashed: training)",
    ...size,
    data: { values },
    transform: [
      { fold: ["val_loss", "train_loss"], as: ["column", "loss"] },
      { filter: "isValid(datum.loss)" },
      { calculate: "datum.column === 'val_loss' ? 'validation' : 'training'", as: "set" },
    ],
    mark: { type: "line", point: true },
    encoding: {
      x,
      y: { field: "loss", type: "quantitative", title: "loss", scale: { zero: false } },
      color,
      strokeDash: {
        field: "set",
        type: "nominal",
        title: "set",
        scale: { domain: ["validation", "training"], range: [[1, 0], [4, 3]] },
        // Said in the title: a legend of dashes drawn over point symbols shows nothing.
        legend: null,
      },
      detail: { field: "run", type: "nominal" },
      ...panels,
      tooltip: [
        { field: "run", type: "nominal" },
        { field: "set", type: "nominal" },
        { field: "epoch", type: "quantitative" },
        { field: "loss", type: "quantitative", format: ".4f" },
      ],
    },
    config: chartConfig(),
  };
  return [
    { kind: "chart", name: "compare-val-accuracy", title: "Validation accuracy", spec: accuracy },
    { kind: "chart", name: "compare-loss", title: "Loss", spec: loss },
  ];
}
