/**
 * The whole report stage without the engine: reads run outputs, writes report.md, report.html,
 * charts and metrics into a directory.
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
import { chartBlocks } from "./report_document.ts";
import { parseReportParams } from "./report_params.ts";

/** Options of {@linkcode writeReport}. */
export interface WriteReportOptions {
  /** One line per step. Default: none. */
  log?: (line: string) => void;
  /** Progress of loading runs and rendering charts. Default: none. */
  progress?: (p: { done: number; total: number; unit: string; note?: string }) => void;
  /** Stops between charts when aborted. Default: none. */
  signal?: AbortSignal;
  /** Generation date for the provenance when the params carry none. Default: now. */
  date?: string;
}

/** What {@linkcode writeReport} wrote, relative to the output directory. */
export interface WrittenReport {
  files: string[];
}

/**
 * Writes the report for the runs in `params` (the report stage's params, validated here).
 * @param params the stage params: config, options, runs, provenance
 * @param inputs `train:<run>` and `evaluate:<run>` → stage output directories
 * @param outDir an existing, writable directory
 * @returns the files written, relative to `outDir`, sorted
 * @throws Error for invalid params, missing or malformed run files, or a chart that fails to render
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
  const { formats } = parsed.options;
  const results = await loadRunResults(parsed.runs, inputs, {
    onLoaded: (done, total, run) => progress({ done, total, unit: "runs", note: run }),
  });
  const data = prepareReportData(parsed, results);
  const document = buildReportDocument(data, { date: options.date });
  const files: string[] = [];
  const write = async (file: string, content: string | Uint8Array) => {
    const path = join(outDir, file);
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    files.push(file);
  };

  const charts = chartBlocks(document);
  if (charts.length > 0) await Deno.mkdir(join(outDir, "charts"), { recursive: true });
  for (const [i, chart] of charts.entries()) {
    options.signal?.throwIfAborted();
    await write(`charts/${chart.name}.vl.json`, JSON.stringify(chart.spec, null, 2) + "\n");
    if (formats.svg || formats.png) {
      const svg = await renderSvg(chart.spec, chart.name);
      if (formats.svg) await write(`charts/${chart.name}.svg`, svg);
      if (formats.png) {
        const png = await renderPng(svg, { scale: parsed.options.png_scale });
        await write(`charts/${chart.name}.png`, png.png);
      }
    }
    progress({ done: i + 1, total: charts.length, unit: "charts", note: chart.name });
  }
  log(`rendered ${charts.length} charts`);

  await write("report.md", renderMarkdown(document, { svg: formats.svg, png: formats.png }));
  if (formats.html) await write("report.html", await renderHtml(document));
  await exportMetrics(data, outDir);
  files.push(...METRICS_FILES);
  log(
    `wrote report.md${formats.html ? ", report.html" : ""} and metrics for ${results.length} runs`,
  );
  return { files: files.sort() };
}
