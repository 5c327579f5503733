/**
 * Assembles the report's sections, in reading order, as the options ask.
 * @module
 */
import type { ReportData } from "./report_data.ts";
import type { Block, ReportDocument } from "./report_document.ts";
import { ablationsSection } from "./sections/ablations_section.ts";
import { chartsSection } from "./sections/charts_section.ts";
import { epochsSection } from "./sections/epochs_section.ts";
import { flagsSection } from "./sections/flags_section.ts";
import { perClassSection } from "./sections/per_class_section.ts";
import { provenanceAppendix } from "./sections/provenance_appendix.ts";
import { referencesSection } from "./sections/references_section.ts";
import { resultsSection } from "./sections/results_section.ts";
import { seedsSection } from "./sections/seeds_section.ts";
import { setupSection } from "./sections/setup_section.ts";
import { summariesAppendix } from "./sections/summaries_appendix.ts";

/** Options of {@linkcode buildReportDocument}. */
export interface BuildReportDocumentOptions {
  /** Date shown in the provenance when the params carry none. Default: now (ISO 8601). */
  date?: string;
}

/**
 * Builds the report: results, seeds, flags, setup, ablations, charts, per-class accuracy, per-epoch
 * validation accuracy, then the appendices (model summaries, provenance).
 */
export function buildReportDocument(
  data: ReportData,
  options: BuildReportDocumentOptions = {},
): ReportDocument {
  const { options: report, config } = data.params;
  const on = report.sections;
  const blocks: Block[] = [];
  const description = report.description ?? config.description;
  if (description) blocks.push({ kind: "paragraph", text: description });
  if (on.results) blocks.push(...resultsSection(data));
  if (on.seeds) blocks.push(...seedsSection(data));
  blocks.push(...referencesSection(data));
  if (on.flags) blocks.push(...flagsSection(data));
  if (on.setup) blocks.push(...setupSection(data));
  if (on.ablations) blocks.push(...ablationsSection(data));
  const charts = chartsSection(data);
  blocks.push(...charts);
  if (on.per_class) {
    if (!charts.some((b) => b.kind === "chart" && b.name === "confusion") && data.best) {
      blocks.push({ kind: "heading", level: 2, text: "Best run" });
    }
    blocks.push(...perClassSection(data));
  }
  if (on.epochs) blocks.push(...epochsSection(data));
  if (on.summaries) blocks.push(...summariesAppendix(data));
  if (on.provenance) {
    blocks.push(...provenanceAppendix(data, options.date ?? new Date().toISOString()));
  }
  return { title: report.title ?? `Results: ${config.name}`, blocks };
}
