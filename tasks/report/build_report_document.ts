/**
 * Assembles the report's sections, in reading order, as the options ask, with the user's notes
 * where the config puts them.
 * @module
 */
import type { ReportData } from "./report_data.ts";
import type { Block, ReportDocument } from "./report_document.ts";
import type { ReportOptions } from "./report_options.ts";
import { ablationsSection } from "./sections/ablations_section.ts";
import { chartsSection } from "./sections/charts_section.ts";
import { epochsSection } from "./sections/epochs_section.ts";
import { flagsSection } from "./sections/flags_section.ts";
import { imagesSection } from "./sections/images_section.ts";
import { perClassSection } from "./sections/per_class_section.ts";
import { provenanceAppendix } from "./sections/provenance_appendix.ts";
import { referencesSection } from "./sections/references_section.ts";
import { resultsSection } from "./sections/results_section.ts";
import { seedsSection } from "./sections/seeds_section.ts";
import { setupSection } from "./sections/setup_section.ts";
import { stageGraphAppendix } from "./sections/stage_graph_appendix.ts";
import { summariesAppendix } from "./sections/summaries_appendix.ts";

type NotesPlace = Exclude<ReportOptions["notes"], string | undefined>["after"];

/**
 * Builds the report: results, seeds, references, flags, setup, ablations, curves and charts,
 * test images, per-class accuracy, per-epoch validation accuracy, then the appendices (model
 * summaries, stage graph, provenance). `report.notes` goes verbatim after the section it names
 * (default: before the appendices).
 */
export function buildReportDocument(data: ReportData): ReportDocument {
  const { options: report, config } = data.params;
  const on = report.sections;
  const parts: [NotesPlace | null, Block[]][] = [];
  const add = (place: NotesPlace | null, blocks: Block[]) => parts.push([place, blocks]);
  const description = report.description ?? config.description;
  add("top", description ? [{ kind: "paragraph", text: description }] : []);
  if (on.results) add("results", resultsSection(data));
  if (on.seeds) add(null, seedsSection(data));
  add(null, referencesSection(data));
  if (on.flags) add(null, flagsSection(data));
  if (on.setup) add("setup", setupSection(data));
  if (on.ablations) add("ablations", ablationsSection(data));
  const charts = chartsSection(data);
  add("curves", charts);
  if (on.images) add("images", imagesSection(data));
  if (on.per_class) {
    const blocks: Block[] = [];
    if (!charts.some((b) => b.kind === "chart" && b.name === "confusion") && data.best) {
      blocks.push({ kind: "heading", level: 2, text: "Selected run" });
    }
    add("per_class", [...blocks, ...perClassSection(data)]);
  }
  if (on.epochs) add("epochs", epochsSection(data));
  add("end", []);
  if (on.summaries) add(null, summariesAppendix(data));
  if (on.stage_graph) add(null, stageGraphAppendix(data));
  if (on.provenance) add(null, provenanceAppendix(data));

  const notes = data.params.notes;
  const place = typeof report.notes === "object" ? report.notes.after : "end";
  const blocks: Block[] = [];
  for (const [anchor, section] of parts) {
    blocks.push(...section);
    if (notes && anchor === place) blocks.push({ kind: "markdown", text: notes.text });
  }
  return { title: report.title ?? `Results: ${config.name}`, language: report.language, blocks };
}
