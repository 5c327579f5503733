/**
 * Confusion-matrix heatmap of one run, with class names on both axes.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { RunResult } from "../load_run_results.ts";
import type { ChartBlock } from "../report_document.ts";
import { confusedClasses } from "../confused_classes.ts";
import { chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";
import { maxOf } from "../extent.ts";

/** Options of {@linkcode confusionChart}. */
export interface ConfusionChartOptions {
  /** Colour by the share of each true class (true) or by raw counts (false). Default: true. */
  normalize?: boolean;
  /** Most classes shown; above it, the most confused classes are kept. Default: 30. */
  maxClasses?: number;
}

/** Above this many classes the cells carry no text (it would not fit). */
const MAX_LABELLED_CLASSES = 20;

/**
 * Rows are true classes, columns predictions. Cells show the row share (or count) as text when
 * there are at most 20 classes.
 */
export function confusionChart(
  result: RunResult,
  size: ChartSize,
  options: ConfusionChartOptions = {},
): ChartBlock {
  const normalize = options.normalize ?? true;
  const { confusion, class_names: allNames } = result.metrics;
  const shown = confusedClasses(confusion, options.maxClasses ?? 30);
  const names = shown.map((i) => allNames[i]);
  // Shares stay relative to the whole row, so a cut matrix shows true rates.
  const values = shown.flatMap((actual) => {
    const row = confusion[actual];
    const total = row.reduce((a, b) => a + b, 0);
    return shown.map((predicted) => ({
      actual: allNames[actual],
      predicted: allNames[predicted],
      count: row[predicted],
      rate: total > 0 ? row[predicted] / total : 0,
    }));
  });
  const cut = shown.length < allNames.length
    ? ` (the ${shown.length} most confused of ${allNames.length} classes)`
    : "";
  const field = normalize ? "rate" : "count";
  const side = Math.max(size.height, Math.min(size.width, 14 * names.length));
  const max = maxOf(values.map((v) => v[field]));
  const cells = {
    mark: { type: "rect" as const },
    encoding: {
      color: {
        field,
        type: "quantitative" as const,
        title: normalize ? "share of class" : "images",
        scale: { scheme: "blues", domain: [0, max > 0 ? max : 1] },
        legend: normalize ? { format: ".0%" } : {},
      },
    },
  };
  const text = {
    mark: { type: "text" as const, fontSize: names.length > 12 ? 8 : 10 },
    encoding: {
      text: normalize
        ? { field, type: "quantitative" as const, format: ".0%" }
        : { field, type: "quantitative" as const, format: "d" },
      color: {
        condition: { test: `datum.${field} > ${max / 2}`, value: "white" },
        value: "#222",
      },
    },
  };
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: `Confusion matrix: ${result.run.name}${cut}`,
    width: side,
    height: side,
    data: { values },
    encoding: {
      x: { field: "predicted", type: "ordinal", sort: names, title: "predicted class" },
      y: { field: "actual", type: "ordinal", sort: names, title: "true class" },
      tooltip: [
        { field: "actual", type: "nominal", title: "true" },
        { field: "predicted", type: "nominal" },
        { field: "count", type: "quantitative" },
        { field: "rate", type: "quantitative", title: "share of true class", format: ".2%" },
      ],
    },
    layer: names.length <= MAX_LABELLED_CLASSES ? [cells, text] : [cells],
    config: chartConfig(),
  };
  return { kind: "chart", name: "confusion", title: "Confusion matrix", spec };
}
