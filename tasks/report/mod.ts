/**
 * The report stage's building blocks: options, the whole stage as a function, and the renderers
 * for anyone who wants one piece (a chart to SVG/PNG, a document to Markdown/HTML).
 * @module
 */
export {
  type RankMetric,
  rankMetrics,
  type ReportOptions,
  type ReportOptionsInput,
  reportOptionsSchema,
} from "./report_options.ts";
export {
  parseReportParams,
  type ReportParams,
  reportParamsSchema,
  type ReportRun,
} from "./report_params.ts";
export { writeReport, type WriteReportOptions, type WrittenReport } from "./write_report.ts";
export { loadRunResults, type RunResult } from "./load_run_results.ts";
export { prepareReportData, type ReportData } from "./report_data.ts";
export { buildReportDocument } from "./build_report_document.ts";
export type { Block, ChartBlock, ReportDocument, TableBlock } from "./report_document.ts";
export { renderMarkdown } from "./render_markdown.ts";
export { renderHtml } from "./render_html.ts";
export { renderSvg } from "./render_svg.ts";
export { renderPng, type RenderPngOptions } from "./render_png.ts";
export { exportMetrics, METRICS_FILES } from "./export_metrics.ts";
export { reportSummaryText } from "./report_summary_text.ts";
export {
  type GitState,
  gitState,
  type RunFacts,
  type StageFact,
  writeRunInfo,
} from "./run_info.ts";
export { RUN_INFO_JSON, type RunTimings, runTimings } from "./run_timings.ts";
export { reportPlanParams } from "./report_plan_params.ts";
export { type StageGraph, stageGraphParam } from "./stage_graph_param.ts";
export { stageGraphSvg } from "./figures/stage_graph_svg.ts";
