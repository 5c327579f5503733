/**
 * Renders a report document as one self-contained HTML page with interactive vega-embed charts.
 * @module
 */
import { marked } from "marked";
import { packageFile } from "./_package_file.ts";
import { REPORT_CSS } from "./_report_css.ts";
import { SORT_TABLES_SCRIPT } from "./_sort_tables_script.ts";
import type { Block, ReportDocument, TableBlock } from "./report_document.ts";
import { chartBlocks } from "./report_document.ts";

/** The browser builds inlined into the page, in load order (vega-embed needs the other two). */
const LIBRARIES: [string, string][] = [
  ["vega", "build/vega.min.js"],
  ["vega-lite", "build/vega-lite.min.js"],
  ["vega-embed", "build/vega-embed.min.js"],
];

/**
 * Builds report.html: the same blocks as report.md, charts embedded with vega-embed (SVG
 * renderer, export actions only), and no external resource at all, so the file can be mailed or
 * opened offline. Clicking a table header sorts the table by that column.
 *
 * After rendering, the page fills `#report-status` with `data-state` "ok" or "error",
 * `data-rendered` / `data-total` chart counts and every console error, uncaught exception and
 * failed chart; headless browsers (and the tests) read it from the DOM.
 * @returns the HTML text
 * @throws Error when a library build is not installed
 */
export async function renderHtml(document: ReportDocument): Promise<string> {
  const libraries = await Promise.all(
    LIBRARIES.map(([pkg, file]) => Deno.readTextFile(packageFile(pkg, file))),
  );
  const specs = Object.fromEntries(chartBlocks(document).map((c) => [c.name, c.spec]));
  const ids = headingIds(document.blocks);
  const body = document.blocks.map((b, i) => renderBlock(b, ids.get(i))).join("\n");
  const sections = document.blocks.flatMap((b, i) =>
    b.kind === "heading" && b.level === 2 ? [`<a href="#${ids.get(i)}">${inline(b.text)}</a>`] : []
  );
  const toc = sections.length > 2 ? `<nav class="toc">${sections.join(" · ")}</nav>` : "";
  return `<!doctype html>
<html lang="${escapeHtml(document.language ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.title)}</title>
<style>${REPORT_CSS}</style>
<script>${ERROR_CAPTURE}</script>
${libraries.map((code) => `<script>${inlineScript(code)}</script>`).join("\n")}
</head>
<body>
<main>
<h1>${escapeHtml(document.title)}</h1>
${toc}
${body}
<p id="report-status" data-state="pending" data-rendered="0" data-total="${
    Object.keys(specs).length
  }">Rendering charts…</p>
</main>
<script type="application/json" id="report-specs">${jsonForScript(specs)}</script>
<script>${EMBED_CHARTS}</script>
<script>${SORT_TABLES_SCRIPT}</script>
</body>
</html>
`;
}

/** Runs first: keeps every console error and uncaught error for the status line. */
const ERROR_CAPTURE = `
window.reportErrors = [];
window.reportError = function (message) {
  window.reportErrors.push(message);
  if (window.reportRefresh) window.reportRefresh();
};
(function () {
  var original = console.error;
  console.error = function () {
    window.reportError("console.error: " + Array.prototype.map.call(arguments, String).join(" "));
    return original.apply(console, arguments);
  };
  window.addEventListener("error", function (e) { window.reportError("error: " + e.message); });
  window.addEventListener("unhandledrejection", function (e) {
    window.reportError("unhandled rejection: " + (e.reason && e.reason.message || e.reason));
  });
})();
`;

/** Embeds every chart, then checks each one drew an SVG of non-zero size. */
const EMBED_CHARTS = `
(async function () {
  var status = document.getElementById("report-status");
  var specs = JSON.parse(document.getElementById("report-specs").textContent);
  var names = Object.keys(specs);
  var rendered = 0;
  for (var i = 0; i < names.length; i++) {
    var name = names[i];
    try {
      if (typeof vegaEmbed !== "function") throw new Error("vega-embed did not load");
      await vegaEmbed("#chart-" + name, specs[name], {
        renderer: "svg",
        actions: { export: true, source: false, compiled: false, editor: false },
      });
      var svg = document.querySelector("#chart-" + name + " svg");
      var box = svg && svg.getBoundingClientRect();
      if (!box || box.width < 10 || box.height < 10) throw new Error("drew nothing");
      rendered++;
    } catch (e) {
      window.reportErrors.push("chart " + name + ": " + (e && e.message || e));
    }
  }
  // Errors after this point (late timers, interactions) update the status line too.
  window.reportRefresh = function () {
    var errors = window.reportErrors;
    status.dataset.rendered = String(rendered);
    status.dataset.state = errors.length === 0 && rendered === names.length ? "ok" : "error";
    status.textContent = "Rendered " + rendered + " of " + names.length + " charts" +
      (errors.length ? "; errors: " + errors.join(" | ") : ".");
  };
  window.reportRefresh();
})();
`;

/** Block index → a unique, URL-safe id for every heading ("Results" → "results"). */
function headingIds(blocks: readonly Block[]): Map<number, string> {
  const ids = new Map<number, string>();
  const used = new Set<string>();
  blocks.forEach((block, i) => {
    if (block.kind !== "heading") return;
    const base = block.text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
      "section";
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    ids.set(i, id);
  });
  return ids;
}

function renderBlock(block: Block, id?: string): string {
  switch (block.kind) {
    case "heading":
      return `<h${block.level} id="${id}">${inline(block.text)}</h${block.level}>`;
    case "paragraph":
      return `<p>${inline(block.text)}</p>`;
    case "list":
      return `<ul>${block.items.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`;
    case "code":
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case "table":
      return renderTable(block);
    case "chart":
      return `<figure class="chart" aria-label="${escapeHtml(block.title)}">` +
        `<div id="chart-${escapeHtml(block.name)}"></div></figure>`;
    case "figure":
      // Inline, so the page stays one self-contained file.
      return `<figure class="picture" id="figure-${escapeHtml(block.name)}" ` +
        `aria-label="${escapeHtml(block.title)}">${
          block.svg.replace(/^<\?xml[^>]*>\s*/, "")
        }</figure>`;
    case "markdown":
      return `<section class="notes">${marked.parse(block.text, { async: false })}</section>`;
    case "link":
      return `<p>${inline(block.text)}<a href="${escapeHtml(block.href)}">${
        escapeHtml(block.label)
      }</a></p>`;
  }
}

function renderTable(table: TableBlock): string {
  const cls = (i: number, text = "") => {
    // Long cells (notes, flags, settings) may wrap; numbers and short names stay on one line.
    const names = [table.align[i] === "left" ? "" : table.align[i], text.length > 24 ? "wrap" : ""]
      .filter((n) => n !== "");
    return names.length > 0 ? ` class="${names.join(" ")}"` : "";
  };
  const head = table.headers.map((h, i) => `<th${cls(i)}>${inline(h)}</th>`).join("");
  const rows = table.rows
    .map((row) => `<tr>${row.map((c, i) => `<td${cls(i, c)}>${inline(c)}</td>`).join("")}</tr>`)
    .join("\n");
  const notes = (table.notes ?? []).map((n) => `<p class="note">${inline(n)}</p>`).join("");
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody></table></div>${notes}`;
}

/** Escapes text, then turns `` `code` `` and `**bold**` into elements. */
function inline(text: string): string {
  return text
    .split("`")
    .map((part, i) =>
      i % 2 === 1
        ? `<code>${escapeHtml(part)}</code>`
        : escapeHtml(part).replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    )
    .join("");
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** A script body must not contain "</script"; "<\/script" means the same in JS. */
function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, "<\\/script");
}

/** JSON inside a script element: "<" escaped so no data can close the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
