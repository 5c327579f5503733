/**
 * A format-neutral report: the Markdown and the HTML renderers walk the same blocks, so both
 * show the same tables and charts.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";

/** Column alignment of a table. */
export type Align = "left" | "right" | "center";

/** A table; cells are plain text with the inline subset `**bold**` and `` `code` ``. */
export interface TableBlock {
  kind: "table";
  headers: string[];
  align: Align[];
  rows: string[][];
  /** Shown under the table, e.g. footnotes for marked rows. */
  notes?: string[];
}

/** A chart: its vega-lite spec and the file stem under charts/. */
export interface ChartBlock {
  kind: "chart";
  /** File stem: charts/<name>.vl.json, .svg, .png; also the HTML element id. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** A drawn picture that is not a vega chart (image grids, the stage graph): SVG, and its PNG. */
export interface FigureBlock {
  kind: "figure";
  /** File stem: charts/<name>.svg, .png. */
  name: string;
  title: string;
  svg: string;
}

/** Markdown written by the user (report.notes), kept verbatim. */
export interface MarkdownBlock {
  kind: "markdown";
  text: string;
}

/** A link to a file beside the report (run-info.md). */
export interface LinkBlock {
  kind: "link";
  /** Text before the link. */
  text: string;
  label: string;
  href: string;
}

/** One piece of a report. Text uses the inline subset `**bold**` and `` `code` ``. */
export type Block =
  | { kind: "heading"; level: 2 | 3 | 4; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "code"; text: string }
  | TableBlock
  | ChartBlock
  | FigureBlock
  | MarkdownBlock
  | LinkBlock;

/** A whole report. */
export interface ReportDocument {
  title: string;
  /** BCP 47 language of the text (the HTML `lang`). */
  language?: string;
  blocks: Block[];
}

/** The chart blocks of a document, in order. */
export function chartBlocks(document: ReportDocument): ChartBlock[] {
  return document.blocks.filter((b): b is ChartBlock => b.kind === "chart");
}

/** The figure blocks of a document, in order. */
export function figureBlocks(document: ReportDocument): FigureBlock[] {
  return document.blocks.filter((b): b is FigureBlock => b.kind === "figure");
}
