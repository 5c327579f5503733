/**
 * Validation loss vs epoch for every configuration (training loss is in each model's panel).
 * @module
 */
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import type { ChartSize } from "./chart_config.ts";
import { overviewChart } from "./overview_chart.ts";

/**
 * One line per seed group; non-finite losses (a diverging run) are left out rather than
 * stretching the axis to infinity, and the axis turns logarithmic when losses span more than a
 * factor of 30.
 * @returns null when no run has a finite validation loss
 */
export function lossChart(
  data: ReportData,
  size: ChartSize,
  maxLines = data.params.options.max_lines,
): ChartBlock | null {
  return overviewChart(
    data,
    {
      name: "loss",
      title: "Validation loss per epoch",
      axisTitle: "cross-entropy loss",
      kind: "loss",
      pick: (e) => e.val_loss,
    },
    size,
    maxLines,
  );
}
