/**
 * A per-epoch validation metric of every configuration: one line per seed group (the mean over
 * its seeds, with their min–max band), one panel per sweep once there are too many lines.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import type { StoredEpoch as EpochRecord } from "../../artifacts/history.ts";
import { epochX, percentScale, positiveScale } from "./axes.ts";
import { chartFamilies } from "./chart_families.ts";
import { categoryScheme, chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";
import { groupCurve } from "./group_curve.ts";
import { maxOf, minOf } from "../extent.ts";

/** What an overview chart plots. */
export interface OverviewMetric {
  /** File stem under charts/. */
  name: string;
  title: string;
  /** The y axis title. */
  axisTitle: string;
  kind: "accuracy" | "loss";
  pick: (epoch: EpochRecord) => number | null;
}

/** Histories of at most this many epochs draw a dot at every epoch (one epoch is a dot). */
const MAX_DOTTED_EPOCHS = 30;

/**
 * Builds the chart; with more than `maxLines` seed groups and several sweeps, one panel per
 * sweep (each with its own legend) stacked vertically.
 * @returns null when no run has a finite value of the metric
 */
export function overviewChart(
  data: ReportData,
  metric: OverviewMetric,
  size: ChartSize,
  maxLines: number,
): ChartBlock | null {
  const families = chartFamilies(data, maxLines);
  const values = families.flatMap((family, panel) =>
    family.members.flatMap(({ group, label }) =>
      groupCurve(group, metric.pick).map((p) => ({ panel, label, ...p }))
    )
  );
  if (values.length === 0) return null;
  const epochs = values.map((v) => v.epoch);
  const dotted = new Set(epochs).size <= MAX_DOTTED_EPOCHS;
  const banded = values.some((v) => v.seeds > 1);
  const x = epochX(epochs, size.width);
  const panelHeight = families.length > 1 ? Math.round(size.height * 0.7) : size.height;
  const panels = families.map((family, panel) => {
    const own = values.filter((v) => v.panel === panel);
    if (own.length === 0) return null;
    const labels = family.members.map((m) => m.label).filter((l) => own.some((v) => v.label === l));
    const y = metric.kind === "accuracy"
      ? percentScale(
        minOf(own.map((v) => v.lo)),
        maxOf(own.map((v) => v.hi)),
        panelHeight,
      )
      : positiveScale(own.flatMap((v) => [v.lo, v.hi]), 30);
    const yEncoding = {
      field: "mean",
      type: "quantitative",
      title: metric.kind === "loss" && "log" in y && y.log
        ? `${metric.axisTitle} (log scale)`
        : metric.axisTitle,
      scale: y.scale,
      ...("axis" in y ? { axis: y.axis } : {}),
    } as const;
    const color = {
      field: "label",
      type: "nominal",
      title: family.legend,
      sort: labels,
      scale: { domain: labels, scheme: categoryScheme(labels.length) },
      // A line symbol, whichever layer (band or line) the legend is merged from.
      legend: { symbolType: "stroke", symbolStrokeWidth: 2, symbolOpacity: 1 },
    } as const;
    const pick = `pick${panel}`;
    const opacity = { condition: { param: pick, value: 1, empty: true }, value: 0.15 } as const;
    return {
      ...(families.length > 1 ? { title: { text: family.title, fontSize: 12 } } : {}),
      width: size.width,
      height: panelHeight,
      transform: [{ filter: { field: "panel", equal: panel } }],
      layer: [
        ...(banded
          ? [{
            mark: { type: "area" as const, opacity: 0.18 },
            encoding: {
              x,
              y: { ...yEncoding, field: "lo" },
              y2: { field: "hi" },
              color,
              opacity: { condition: { param: pick, value: 0.18, empty: true }, value: 0.03 },
            },
          }]
          : []),
        {
          params: [{
            name: pick,
            select: { type: "point" as const, fields: ["label"] },
            bind: "legend" as const,
          }],
          mark: { type: "line" as const, point: dotted, strokeWidth: 1.5 },
          encoding: {
            x,
            y: yEncoding,
            color,
            opacity,
            tooltip: [
              { field: "label", type: "nominal" as const, title: "run" },
              { field: "epoch", type: "quantitative" as const },
              {
                field: "mean",
                type: "quantitative" as const,
                title: banded ? "mean over seeds" : metric.axisTitle,
                format: metric.kind === "accuracy" ? ".2%" : ".4f",
              },
              { field: "seeds", type: "quantitative" as const },
            ],
          },
        },
      ],
    };
  }).filter((p) => p !== null);
  const title = banded ? `${metric.title} (mean of seeds, band: min–max)` : metric.title;
  const spec =
    (panels.length === 1
      ? { $schema: VEGA_LITE_SCHEMA, title, data: { values }, ...panels[0], config: chartConfig() }
      : {
        $schema: VEGA_LITE_SCHEMA,
        title,
        data: { values },
        vconcat: panels,
        resolve: { scale: { color: "independent", y: "independent" } },
        config: chartConfig(),
      }) as TopLevelSpec;
  return { kind: "chart", name: metric.name, title: metric.title, spec };
}
