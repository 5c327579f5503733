/**
 * Test top-1 accuracy bars, one per seed group, with ± std error bars and a dot per seed where a
 * group has several seeds.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { groupStats } from "../group_stats.ts";
import type { ReportData } from "../report_data.ts";
import type { ChartBlock } from "../report_document.ts";
import { percentScale } from "./axes.ts";
import { chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";

/**
 * Horizontal bars, best first (by mean test top-1), so long run names stay readable; the x axis
 * always spans 0–100 % with ticks spaced for the chart's width.
 * @returns null when no run has a finite test top-1
 */
export function testAccuracyChart(data: ReportData, size: ChartSize): ChartBlock | null {
  const healthyOf = (results: typeof data.results) => {
    // Like the seeds table: a diverged seed's numbers say nothing about the config.
    const healthy = results.filter((r) => !data.flags.get(r)!.some((f) => f.kind === "diverged"));
    return healthy.length > 0 ? healthy : results;
  };
  const values = data.seedGroups
    .map((group) => {
      const stats = groupStats(healthyOf(group.results));
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
  const seedValues = data.seedGroups.flatMap((group) =>
    group.results.length > 1
      ? healthyOf(group.results)
        .filter((r) => r.metrics.top1 !== null && Number.isFinite(r.metrics.top1))
        .map((r) => ({ run: group.label, seed: r.run.seed, seed_top1: r.metrics.top1 }))
      : []
  );
  const axis = percentScale(0, 1, size.width);
  const y = {
    field: "run",
    type: "nominal",
    title: null,
    sort: values.map((v) => v.run),
    axis: { labelLimit: 400 },
  } as const;
  const x = { type: "quantitative", title: "test top-1", ...axis } as const;
  const tooltip = [
    { field: "run", type: "nominal" },
    { field: "top1", type: "quantitative", title: "test top-1 (mean)", format: ".2%" },
    { field: "top5", type: "quantitative", title: "test top-5 (mean)", format: ".2%" },
    { field: "seeds", type: "quantitative" },
  ] as const;
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: withSeeds
      ? "Test top-1 accuracy (mean ± std over seeds; dots: seeds)"
      : "Test top-1 accuracy",
    width: size.width,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8" },
        encoding: { y, x: { ...x, field: "top1" }, tooltip: [...tooltip] },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
        encoding: {
          y,
          x: { ...x, field: withSeeds ? "hi" : "top1" },
          text: { field: "top1", type: "quantitative", format: ".2%" },
        },
      },
      ...(withSeeds
        ? [
          {
            transform: [{ filter: "datum.seeds > 1" }],
            mark: { type: "errorbar" as const, ticks: true, color: "#222" },
            encoding: { y, x: { ...x, field: "lo" }, x2: { field: "hi" } },
          },
          {
            data: { values: seedValues },
            mark: {
              type: "point" as const,
              filled: true,
              size: 18,
              color: "#e45756",
              opacity: 0.9,
            },
            encoding: {
              y,
              x: { ...x, field: "seed_top1" },
              tooltip: [
                { field: "run", type: "nominal" as const },
                { field: "seed", type: "quantitative" as const },
                {
                  field: "seed_top1",
                  type: "quantitative" as const,
                  title: "test top-1",
                  format: ".2%",
                },
              ],
            },
          },
        ]
        : []),
    ],
    config: chartConfig(),
  };
  return { kind: "chart", name: "test-accuracy", title: "Test accuracy", spec };
}
