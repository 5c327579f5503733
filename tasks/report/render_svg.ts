/**
 * Renders a vega-lite spec to SVG without a browser.
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { useBundledFontMetrics } from "./_chart_text_metrics.ts";

/**
 * Compiles the spec to vega and renders it headless (no DOM, no canvas). Text is measured with
 * the bundled DejaVu Sans, the font every chart names and the PNG rasterizer draws.
 * @returns the SVG document text
 * @throws Error naming the chart when vega-lite or vega rejects the spec
 */
export async function renderSvg(spec: TopLevelSpec, name = "chart"): Promise<string> {
  useBundledFontMetrics();
  let view: vega.View | undefined;
  try {
    const compiled = compile(spec).spec;
    view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Warn });
    // Gradient and clip ids count up per process; restart them so a chart's SVG is the same
    // whatever was rendered before it.
    vega.resetSVGDefIds();
    return await view.toSVG();
  } catch (error) {
    throw new Error(`Cannot render chart '${name}' to SVG: ${(error as Error).message}`);
  } finally {
    view?.finalize();
  }
}
