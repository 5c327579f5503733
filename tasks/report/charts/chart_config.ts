/**
 * Shared look of every chart: the bundled font (so SVG, PNG and HTML render text alike), white
 * background, and a palette wide enough for many runs.
 * @module
 */
import type { Config } from "vega-lite";

/** The font every chart uses; report/render_png.ts bundles its TTF. */
export const CHART_FONT = "DejaVu Sans";

/** The vega-lite `$schema` of every spec. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Size of a chart's plot area. */
export interface ChartSize {
  width: number;
  height: number;
}

/** The `config` block of every spec. */
export function chartConfig(): Config {
  return {
    font: CHART_FONT,
    background: "white",
    padding: 8,
    title: { fontSize: 14, anchor: "start" },
    axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e6e6e6" },
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400, titleLimit: 400 },
    view: { stroke: null },
  };
}

/** Category palette: tableau10 up to 10 series, tableau20 above (distinct colours for more runs). */
export function categoryScheme(count: number): "tableau10" | "tableau20" {
  return count > 10 ? "tableau20" : "tableau10";
}
