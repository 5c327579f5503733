/**
 * Test top-1 accuracy bars, one per seed group, with ± std error bars where a group has seeds.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { groupStats } from "../group_stats.ts";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import { chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";

/**
 * Horizontal bars, best first (by mean test top-1), so long run names stay readable.
 * @returns null when no run has a finite test top-1
 */
export function testAccuracyChart(data: ReportData, size: ChartSize): ChartBlock | null {
  const values = data.seedGroups
    .map((group) => {
      // Like the seeds table: a diverged seed's numbers say nothing about the config.
      const healthy = group.results.filter((r) =>
        !data.flags.get(r)!.some((f) => f.kind === "diverged")
      );
      const stats = groupStats(healthy.length > 0 ? healthy : group.results);
      const std = stats.top1.std ?? 0;
      return {
        run: group.label,
        seeds: stats.top1.n,
        top1: stats.top1.mean,
        top5: Number.isFinite(stats.top5.mean) ? stats.top5.mean : null,
        lo: Math.max(0, stats.top1.mean - std),
        hi: Math.min(1, stats.top1.mean + std),
      };
    })
    .filter((v) => Number.isFinite(v.top1))
    .sort((a, b) => b.top1 - a.top1);
  if (values.length === 0) return null;
  const withSeeds = values.some((v) => v.seeds > 1);
  const y = {
    field: "run",
    type: "nominal",
    title: null,
    sort: values.map((v) => v.run),
    axis: { labelLimit: 400 },
  } as const;
  const tooltip = [
    { field: "run", type: "nominal" },
    { field: "top1", type: "quantitative", title: "test top-1 (mean)", format: ".2%" },
    { field: "top5", type: "quantitative", title: "test top-5 (mean)", format: ".2%" },
    { field: "seeds", type: "quantitative" },
  ] as const;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: withSeeds ? "Test top-1 accuracy (mean ± std over seeds)" : "Test top-1 accuracy",
    width: size.width,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8" },
        encoding: {
          y,
          x: {
            field: "top1",
            type: "quantitative",
            title: "test top-1",
            axis: { format: ".0%" },
            scale: { domain: [0, 1] },
          },
          tooltip: [...tooltip],
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
        encoding: {
          y,
          x: { field: withSeeds ? "hi" : "top1", type: "quantitative" },
          text: { field: "top1", type: "quantitative", format: ".2%" },
        },
      },
      ...(withSeeds
        ? [{
          mark: { type: "errorbar" as const, ticks: true, color: "#222" },
          encoding: {
            y,
            x: { field: "lo", type: "quantitative" as const, title: "test top-1" },
            x2: { field: "hi" },
          },
        }]
        : []),
    ],
    config: chartConfig(),
  };
  return { kind: "chart", name: "test-accuracy", title: "Test accuracy", spec };
}
