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

/** One piece of a report. Text uses the inline subset `**bold**` and `` `code` ``. */
export type Block =
  | { kind: "heading"; level: 2 | 3 | 4; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "code"; text: string }
  | TableBlock
  | ChartBlock;

/** A whole report. */
export interface ReportDocument {
  title: string;
  blocks: Block[];
}

/** The chart blocks of a document, in order. */
export function chartBlocks(document: ReportDocument): ChartBlock[] {
  return document.blocks.filter((b): b is ChartBlock => b.kind === "chart");
}
