/**
 * Renders a report document as GitHub-flavoured Markdown.
 * @module
 */
import type { Block, ReportDocument, TableBlock } from "./report_document.ts";

/** Options of {@linkcode renderMarkdown}. */
export interface RenderMarkdownOptions {
  /** Embed charts as SVG (true) or PNG (false) images. Default: true. */
  svg?: boolean;
  /** Link the PNG under each chart. Default: true. */
  png?: boolean;
}

/**
 * Renders headings, paragraphs, lists, code, pipe tables (with alignment) and charts as images
 * under `charts/` with links to their PNG and vega-lite spec.
 * @returns the Markdown text, ending with a newline
 */
export function renderMarkdown(
  document: ReportDocument,
  options: RenderMarkdownOptions = {},
): string {
  const parts = [`# ${document.title}`];
  for (const block of document.blocks) parts.push(renderBlock(block, options));
  return parts.join("\n\n") + "\n";
}

function renderBlock(block: Block, options: RenderMarkdownOptions): string {
  switch (block.kind) {
    case "heading":
      return `${"#".repeat(block.level)} ${block.text}`;
    case "paragraph":
      return block.text;
    case "list":
      return block.items.map((item) => `- ${item}`).join("\n");
    case "code":
      return "```\n" + block.text + "\n```";
    case "table":
      return renderTable(block);
    case "markdown":
      return block.text.trim();
    case "link":
      return `${block.text}[${block.label}](${block.href})`;
    case "figure":
    case "chart": {
      const svg = options.svg ?? true;
      const png = options.png ?? true;
      const links = [
        ...(svg && png ? [`[PNG](charts/${block.name}.png)`] : []),
        ...(block.kind === "chart" ? [`[vega-lite spec](charts/${block.name}.vl.json)`] : []),
      ];
      const image = svg || png
        ? `![${block.title}](charts/${block.name}.${svg ? "svg" : "png"})\n\n`
        : "";
      return `${image}${links.join(" · ")}`.trim();
    }
  }
}

function renderTable(table: TableBlock): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = table.align.map((a) => (a === "right" ? "---:" : a === "center" ? ":---:" : "---"));
  const lines = [line(table.headers), `| ${rule.join(" | ")} |`, ...table.rows.map(line)];
  const notes = (table.notes ?? []).map((n) => `\n${n}`).join("\n");
  return lines.join("\n") + (notes ? `\n${notes}` : "");
}
