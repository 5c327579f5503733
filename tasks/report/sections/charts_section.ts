/**
 * Training curves (per model, then every configuration together), test accuracy bars and the
 * selected run's confusion matrix.
 * @module
 */
import { confusionChart } from "../charts/confusion_chart.ts";
import { curvesChart } from "../charts/curves_chart.ts";
import { lossChart } from "../charts/loss_chart.ts";
import { lrScheduleChart } from "../charts/lr_schedule_chart.ts";
import { testAccuracyChart } from "../charts/test_accuracy_chart.ts";
import { valAccuracyChart } from "../charts/val_accuracy_chart.ts";
import type { ReportData } from "../report_data.ts";
import type { Block, ChartBlock } from "../report_document.ts";

/**
 * The charts enabled in `options.charts` (ablation charts live with their tables).
 * @returns no blocks when every such chart is disabled or has no data
 */
export function chartsSection(data: ReportData): Block[] {
  const { options } = data.params;
  const size = { width: options.chart_width, height: options.chart_height };
  const curves = [
    options.charts.curves ? curvesChart(data, size) : null,
    options.charts.val_accuracy ? valAccuracyChart(data, size) : null,
    options.charts.loss ? lossChart(data, size) : null,
    options.charts.lr_schedule ? lrScheduleChart(data, size) : null,
  ].filter((c): c is ChartBlock => c !== null);
  const blocks: Block[] = [];
  if (curves.length > 0) {
    blocks.push({ kind: "heading", level: 2, text: "Training curves" }, ...curves);
  }
  const bars = options.charts.test_accuracy ? testAccuracyChart(data, size) : null;
  if (bars) blocks.push({ kind: "heading", level: 2, text: "Test accuracy" }, bars);
  if (options.charts.confusion && data.best) {
    blocks.push(
      { kind: "heading", level: 2, text: "Confusion matrix of the selected run" },
      confusionChart(data.best, size, {
        normalize: options.confusion_normalize,
        maxClasses: options.max_classes,
      }),
    );
  }
  return blocks;
}
