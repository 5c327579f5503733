/**
 * The whole report stage without the engine: reads run outputs, writes report.md, report.html,
 * charts, metrics and run-info.json into a directory. Every file but run-info.json depends only
 * on the cached results and the params, so a report regenerated from the same cache is
 * byte-identical; run-info.json keeps the runs' timings (gitignored beside the report).
 * @module
 */
import { join } from "node:path";
import { buildReportDocument } from "./build_report_document.ts";
import { exportMetrics, METRICS_FILES } from "./export_metrics.ts";
import { loadRunResults } from "./load_run_results.ts";
import { renderHtml } from "./render_html.ts";
import { renderMarkdown } from "./render_markdown.ts";
import { renderPng } from "./render_png.ts";
import { renderSvg } from "./render_svg.ts";
import { prepareReportData } from "./report_data.ts";
import { chartBlocks, figureBlocks } from "./report_document.ts";
import { parseReportParams } from "./report_params.ts";
import { RUN_INFO_JSON, runTimings } from "./run_timings.ts";
import { loadTestImages } from "./test_images.ts";

/** Options of {@linkcode writeReport}. */
export interface WriteReportOptions {
  /** One line per step. Default: none. */
  log?: (line: string) => void;
  /** Progress of loading runs and rendering charts. Default: none. */
  progress?: (p: { done: number; total: number; unit: string; note?: string }) => void;
  /** Stops between charts when aborted. Default: none. */
  signal?: AbortSignal;
}

/** What {@linkcode writeReport} wrote, relative to the output directory. */
export interface WrittenReport {
  files: string[];
}

/** Report languages whose charts need the CJK font whatever their text. */
const CJK_LANGUAGES = /^(zh|ja|ko)(-|$)/i;

/**
 * Writes the report for the runs in `params` (the report stage's params, validated here).
 * @param params the stage params: config, options, runs, provenance, notes, graph
 * @param inputs `train:<run>`, `evaluate:<run>` and the runs' data inputs → stage output directories
 * @param outDir an existing, writable directory
 * @returns the files written, relative to `outDir`, sorted
 * @throws Error for invalid params, missing or malformed run files, a chart that fails to
 *   render, or chart text that needs a CJK font that is not installed
 */
export async function writeReport(
  params: unknown,
  inputs: Readonly<Record<string, string>>,
  outDir: string,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const log = options.log ?? (() => {});
  const progress = options.progress ?? (() => {});
  const parsed = parseReportParams(params);
  const { formats, images } = parsed.options;
  const results = await loadRunResults(parsed.runs, inputs, {
    onLoaded: (done, total, run) => progress({ done, total, unit: "runs", note: run }),
  });
  const data = prepareReportData(parsed, results);
  if (parsed.options.sections.images) {
    data.images = await loadTestImages(data, inputs, {
      mistakes: images.mistakes,
      perClass: images.per_class,
      maxModels: images.max_models,
      maxClasses: parsed.options.max_classes,
    });
  }
  const document = buildReportDocument(data);
  const files: string[] = [];
  const write = async (file: string, content: string | Uint8Array) => {
    const path = join(outDir, file);
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    files.push(file);
  };
  const png = (svg: string, name: string) =>
    renderPng(svg, {
      scale: parsed.options.png_scale,
      cjk: CJK_LANGUAGES.test(parsed.options.language),
      name: `chart '${name}'`,
    });

  const charts = chartBlocks(document);
  const figures = figureBlocks(document);
  if (charts.length + figures.length > 0) {
    await Deno.mkdir(join(outDir, "charts"), { recursive: true });
  }
  const total = charts.length + figures.length;
  for (const [i, chart] of charts.entries()) {
    options.signal?.throwIfAborted();
    await write(`charts/${chart.name}.vl.json`, JSON.stringify(chart.spec, null, 2) + "\n");
    if (formats.svg || formats.png) {
      const svg = await renderSvg(chart.spec, chart.name);
      if (formats.svg) await write(`charts/${chart.name}.svg`, svg);
      if (formats.png) await write(`charts/${chart.name}.png`, (await png(svg, chart.name)).png);
    }
    progress({ done: i + 1, total, unit: "charts", note: chart.name });
  }
  for (const [i, figure] of figures.entries()) {
    options.signal?.throwIfAborted();
    if (formats.svg) await write(`charts/${figure.name}.svg`, figure.svg);
    if (formats.png) {
      await write(`charts/${figure.name}.png`, (await png(figure.svg, figure.name)).png);
    }
    progress({ done: charts.length + i + 1, total, unit: "charts", note: figure.name });
  }
  log(`rendered ${charts.length} charts and ${figures.length} figures`);

  await write("report.md", renderMarkdown(document, { svg: formats.svg, png: formats.png }));
  if (formats.html) await write("report.html", await renderHtml(document));
  await exportMetrics(data, outDir);
  files.push(...METRICS_FILES);
  await write(RUN_INFO_JSON, JSON.stringify(runTimings(data), null, 2) + "\n");
  log(
    `wrote report.md${formats.html ? ", report.html" : ""} and metrics for ${results.length} runs`,
  );
  return { files: files.sort() };
}
