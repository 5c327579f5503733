/**
 * Training and validation loss vs epoch for every run.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import { categoryScheme, chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";
import { seedGroupLabels } from "./seed_group_labels.ts";

/**
 * Solid lines for training loss, dashed for validation loss; non-finite losses (a diverging run)
 * are left out rather than stretching the axis to infinity, and the axis turns logarithmic when
 * losses span more than a factor of 30.
 * @returns null when no run has a finite loss
 */
export function lossChart(data: ReportData, size: ChartSize): ChartBlock | null {
  const groupOf = seedGroupLabels(data);
  const values = data.results.flatMap((r) =>
    r.history.flatMap((e) =>
      (
        [["train", e.train_loss], ["validation", e.val_loss]] as const
      )
        .filter(([, loss]) => loss !== null && Number.isFinite(loss))
        .map(([split, loss]) => ({
          run: r.run.name,
          group: groupOf.get(r)!,
          epoch: e.epoch,
          split,
          loss: loss as number,
        }))
    )
  );
  if (values.length === 0) return null;
  const losses = values.map((v) => v.loss);
  const min = Math.min(...losses);
  // A run blowing up (loss 10³ before NaN) would flatten every other curve on a linear axis.
  const log = min > 0 && Math.max(...losses) / min > 30;
  const groups = new Set(values.map((v) => v.group)).size;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: "Training and validation loss per epoch",
    width: size.width,
    height: size.height,
    data: { values },
    params: [{ name: "pick", select: { type: "point", fields: ["group"] }, bind: "legend" }],
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
      y: {
        field: "loss",
        type: "quantitative",
        title: log ? "cross-entropy loss (log scale)" : "cross-entropy loss",
        scale: log ? { type: "log" } : { zero: false },
      },
      color: {
        field: "group",
        type: "nominal",
        title: "run",
        scale: { scheme: categoryScheme(groups) },
      },
      strokeDash: {
        field: "split",
        type: "nominal",
        title: "split",
        scale: { domain: ["train", "validation"], range: [[1, 0], [5, 3]] },
      },
      detail: { field: "run", type: "nominal" },
      opacity: { condition: { param: "pick", value: 1 }, value: 0.15 },
      tooltip: [
        { field: "run", type: "nominal" },
        { field: "split", type: "nominal" },
        { field: "epoch", type: "quantitative" },
        { field: "loss", type: "quantitative", format: ".4f" },
      ],
    },
    config: chartConfig(),
  };
  return { kind: "chart", name: "loss", title: "Loss", spec };
}
