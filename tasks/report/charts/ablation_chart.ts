/**
 * One chart per ablation: test top-1 and top-5 for each swept value.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { AblationGroup } from "../ablation_groups.ts";
import { groupStats, type MetricSource } from "../group_stats.ts";
import type { ChartBlock } from "../report_document.ts";
import { chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";

/** Options of {@linkcode ablationChart}. */
export interface AblationChartOptions {
  /** Test metrics or validation metrics at each run's best epoch. Default: "test". */
  source?: MetricSource;
}

/**
 * Grouped bars (top-1, top-5) per swept value in sweep order, ± std error bars when the values
 * were run with several seeds.
 */
export function ablationChart(
  group: AblationGroup,
  size: ChartSize,
  options: AblationChartOptions = {},
): ChartBlock {
  const source = options.source ?? "test";
  const split = source === "test" ? "test" : "best validation";
  const values = group.points.flatMap((point, order) => {
    const stats = groupStats(point.results, source);
    return (["top-1", "top-5"] as const).map((metric) => {
      const stat = metric === "top-1" ? stats.top1 : stats.top5;
      const mean = Number.isFinite(stat.mean) ? stat.mean : 0;
      const std = stat.std ?? 0;
      return {
        value: point.label,
        order,
        metric,
        mean,
        lo: Math.max(0, mean - std),
        hi: Math.min(1, mean + std),
        seeds: stat.n,
      };
    });
  });
  const withSeeds = values.some((v) => v.seeds > 1);
  const x = {
    field: "value",
    type: "nominal",
    title: `${group.keys.join(", ")}`,
    sort: group.points.map((p) => p.label),
    axis: { labelAngle: 0 },
  } as const;
  const xOffset = { field: "metric", type: "nominal" } as const;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: `Ablation: ${group.sweep} (${group.experiment})`,
    width: Math.max(size.width, 70 * group.points.length),
    height: Math.round(size.height * 0.8),
    data: { values },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x,
          xOffset,
          y: {
            field: "mean",
            type: "quantitative",
            title: withSeeds ? `${split} accuracy (mean ± std)` : `${split} accuracy`,
            axis: { format: ".0%" },
            scale: { domain: [0, 1] },
          },
          color: { field: "metric", type: "nominal", title: "metric" },
          tooltip: [
            { field: "value", type: "nominal", title: group.sweep },
            { field: "metric", type: "nominal" },
            { field: "mean", type: "quantitative", format: ".2%" },
            { field: "seeds", type: "quantitative" },
          ],
        },
      },
      ...(withSeeds
        ? [{
          mark: { type: "errorbar" as const, ticks: true, color: "#222" },
          encoding: {
            x,
            xOffset,
            y: { field: "lo", type: "quantitative" as const },
            y2: { field: "hi" },
          },
        }]
        : []),
    ],
    config: chartConfig(),
  };
  return { kind: "chart", name: `ablation-${group.id}`, title: `Ablation: ${group.sweep}`, spec };
}
