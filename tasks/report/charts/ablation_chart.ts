/**
 * One chart per sweep: the metric against the swept parameter, with seed error bars — the
 * figure a student draws for lab report 002's ablations.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { type AblationGroup, formatSweepValue } from "../ablation_groups.ts";
import { groupStats, type MetricSource } from "../group_stats.ts";
import type { ChartBlock } from "../report_document.ts";
import { percentScale } from "./axes.ts";
import { chartConfig, type ChartSize, VEGA_LITE_SCHEMA } from "./chart_config.ts";
import { maxOf, minOf } from "../extent.ts";

/** Options of {@linkcode ablationChart}. */
export interface AblationChartOptions {
  /** Test metrics or validation metrics at each run's best epoch. Default: "test". */
  source?: MetricSource;
  /** Also draw top-5 (with ≥ 10 classes). Default: true. */
  top5?: boolean;
}

/** How the swept values map to the x axis. */
interface Layout {
  /** A numeric axis (one numeric key) or the points' labels in sweep order. */
  numeric: boolean;
  log: boolean;
  /** The x axis title. */
  title: string;
  /** x value of each point (a number or its label). */
  x: (number | string)[];
  /** Series of each point: the other keys of a grid sweep, else null (series = metric). */
  series: (string | null)[];
  /** Order of the x labels (default: first appearance). */
  xOrder?: string[];
  /** The legend title of a grid's series. */
  seriesTitle?: string;
}

/**
 * Lines and dots of top-1 (and top-5) against the swept value; a single numeric key gets a
 * numeric axis (logarithmic for a learning rate or values spanning ≥ 100×), paired keys (zip)
 * the points' labels in sweep order, and a full grid of several keys one line per combination
 * of the other keys. Error bars show ± one sample std when a value ran with several seeds.
 */
export function ablationChart(
  group: AblationGroup,
  size: ChartSize,
  options: AblationChartOptions = {},
): ChartBlock {
  const source = options.source ?? "test";
  const split = source === "test" ? "test" : "best validation";
  const layout = layoutOf(group);
  const metrics = layout.series.some((s) => s !== null) || options.top5 === false
    ? ["top-1"] as const
    : ["top-1", "top-5"] as const;
  const values = group.points.flatMap((point, i) => {
    const stats = groupStats(point.results, source);
    return metrics.flatMap((metric) => {
      const stat = metric === "top-1" ? stats.top1 : stats.top5;
      if (!Number.isFinite(stat.mean)) return [];
      const std = stat.std ?? 0;
      return [{
        x: layout.x[i],
        series: layout.series[i] ?? metric,
        mean: stat.mean,
        lo: Math.max(0, stat.mean - std),
        hi: Math.min(1, stat.mean + std),
        seeds: stat.n,
      }];
    });
  });
  const withSeeds = values.some((v) => v.seeds > 1);
  const width = Math.max(size.width, layout.numeric ? 0 : 70 * new Set(layout.x).size);
  const height = Math.round(size.height * 0.9);
  const y = values.length > 0
    ? percentScale(
      minOf(values.map((v) => v.lo)),
      maxOf(values.map((v) => v.hi)),
      height,
    )
    : percentScale(0, 1, height);
  const yTitle = `${split} accuracy${withSeeds ? " (mean ± std)" : ""}`;
  const xEncoding = layout.numeric
    ? {
      field: "x",
      type: "quantitative" as const,
      title: layout.title,
      scale: layout.log ? { type: "log" as const } : { zero: false, padding: 16 },
      axis: { values: [...new Set(layout.x as number[])], format: "~g" },
    }
    : {
      field: "x",
      type: "ordinal" as const,
      title: layout.title,
      sort: layout.xOrder ?? [...new Set(layout.x as string[])],
      axis: { labelAngle: group.points.length > 6 ? -30 : 0 },
    };
  const seriesNames = [...new Set(values.map((v) => v.series))];
  const color = {
    field: "series",
    type: "nominal" as const,
    title: layout.seriesTitle ?? "metric",
    sort: seriesNames,
  };
  const yEncoding = { field: "mean", type: "quantitative" as const, title: yTitle, ...y };
  const spec: TopLevelSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: `Ablation: ${group.sweep} (${group.experiment})`,
    width,
    height,
    data: { values },
    layer: [
      {
        mark: { type: "line", point: { filled: true, size: 50 }, strokeWidth: 1.5 },
        encoding: {
          x: xEncoding,
          y: yEncoding,
          color,
          tooltip: [
            { field: "x", title: layout.title },
            { field: "series", type: "nominal", title: color.title },
            { field: "mean", type: "quantitative", format: ".2%", title: yTitle },
            { field: "seeds", type: "quantitative" },
          ],
        },
      },
      ...(withSeeds
        ? [{
          mark: { type: "errorbar" as const, ticks: true },
          encoding: {
            x: xEncoding,
            y: { ...yEncoding, field: "lo" },
            y2: { field: "hi" },
            color,
          },
        }]
        : []),
    ],
    config: chartConfig(),
  };
  return { kind: "chart", name: `ablation-${group.id}`, title: `Ablation: ${group.sweep}`, spec };
}

function layoutOf(group: AblationGroup): Layout {
  const { keys, points } = group;
  const value = (i: number, key: string) => points[i].values[key];
  const numericKey = (key: string) => points.every((_, i) => typeof value(i, key) === "number");
  if (keys.length === 1 && numericKey(keys[0])) {
    const xs = points.map((_, i) => value(i, keys[0]) as number);
    const min = minOf(xs);
    const max = maxOf(xs);
    const lr = /(^|[._])(lr|learning_rate)$/.test(keys[0]);
    return {
      numeric: true,
      log: min > 0 && (lr || max / min >= 100),
      title: keys[0],
      x: xs,
      series: points.map(() => null),
    };
  }
  // A full grid over several keys: the key with the most values on x (a numeric one first),
  // one line per combination of the others.
  const distinct = keys.map((k) =>
    new Set(points.map((_, i) => formatSweepValue(value(i, k)))).size
  );
  const grid = keys.length > 1 && distinct.reduce((a, b) => a * b, 1) === points.length;
  if (grid) {
    const order = keys
      .map((k, i) => ({ k, n: distinct[i], numeric: numericKey(k) }))
      .sort((a, b) => b.n - a.n || Number(b.numeric) - Number(a.numeric));
    const first = order[0].k;
    const rest = keys.filter((k) => k !== first);
    const xs = [...new Set(points.map((_, i) => value(i, first)))];
    const sorted = order[0].numeric ? (xs as number[]).sort((a, b) => a - b) : xs;
    return {
      numeric: false,
      log: false,
      title: first,
      x: points.map((_, i) => formatSweepValue(value(i, first))),
      xOrder: sorted.map(formatSweepValue),
      series: points.map((_, i) =>
        rest.map((k) => `${k.split(".").at(-1)}=${formatSweepValue(value(i, k))}`).join(", ")
      ),
      seriesTitle: rest.join(", "),
    };
  }
  return {
    numeric: false,
    log: false,
    title: keys.join(", "),
    x: points.map((p) => p.label),
    series: points.map(() => null),
  };
}
