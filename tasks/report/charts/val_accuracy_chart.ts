/**
 * Validation top-1 accuracy vs epoch for every configuration.
 * @module
 */
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import type { ChartSize } from "./chart_config.ts";
import { overviewChart } from "./overview_chart.ts";

/**
 * One line per seed group (mean of its seeds, min–max band); clicking a legend entry highlights
 * it in the HTML report.
 * @returns null when no run has a validation accuracy
 */
export function valAccuracyChart(
  data: ReportData,
  size: ChartSize,
  maxLines = data.params.options.max_lines,
): ChartBlock | null {
  return overviewChart(
    data,
    {
      name: "val-accuracy",
      title: "Validation top-1 accuracy per epoch",
      axisTitle: "validation top-1",
      kind: "accuracy",
      pick: (e) => e.val_top1,
    },
    size,
    maxLines,
  );
}
