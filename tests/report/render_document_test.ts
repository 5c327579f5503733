import assert from "node:assert/strict";
import { renderHtml } from "../../tasks/report/render_html.ts";
import { renderMarkdown } from "../../tasks/report/render_markdown.ts";
import type { ReportDocument } from "../../tasks/report/report_document.ts";

const document: ReportDocument = {
  title: "A <b>report</b>",
  blocks: [
    { kind: "heading", level: 2, text: "Results" },
    { kind: "paragraph", text: "Best: **lenet** with `lr=0.01` & <script>" },
    {
      kind: "table",
      headers: ["Run", "Top-1"],
      align: ["left", "right"],
      rows: [["a|b", "**98.00 %**"]],
      notes: ["One note."],
    },
    {
      kind: "chart",
      name: "val-accuracy",
      title: "Validation",
      spec: { mark: "point", data: { values: [] } },
    },
  ],
};

Deno.test("renderMarkdown() writes aligned pipe tables with escaped pipes and chart links", () => {
  assert.equal(
    renderMarkdown(document),
    [
      "# A <b>report</b>",
      "",
      "## Results",
      "",
      "Best: **lenet** with `lr=0.01` & <script>",
      "",
      "| Run | Top-1 |",
      "| --- | ---: |",
      "| a\\|b | **98.00 %** |",
      "",
      "One note.",
      "",
      "![Validation](charts/val-accuracy.svg)",
      "",
      "[PNG](charts/val-accuracy.png) · [vega-lite spec](charts/val-accuracy.vl.json)",
      "",
    ].join("\n"),
  );
});

Deno.test("renderHtml() escapes text, keeps bold and code, and embeds specs safely", async () => {
  const html = await renderHtml({
    ...document,
    blocks: [
      ...document.blocks,
      {
        kind: "chart",
        name: "evil",
        title: "x",
        spec: { mark: "text", data: { values: [{ t: "</script><b>" }] } },
      },
    ],
  });
  assert.ok(html.includes("<title>A &lt;b&gt;report&lt;/b&gt;</title>"));
  assert.ok(
    html.includes(
      "<p>Best: <strong>lenet</strong> with <code>lr=0.01</code> &amp; &lt;script&gt;</p>",
    ),
  );
  assert.ok(html.includes('<td>a|b</td><td class="right"><strong>98.00 %</strong></td>'));
  assert.ok(html.includes('<div id="chart-val-accuracy"></div>'));
  assert.ok(html.includes('<h2 id="results">Results</h2>'));
  assert.ok(!html.includes('<nav class="toc">'), "no contents line for a single section");
  assert.ok(html.includes('data-total="2"'));
  assert.ok(
    html.includes('"t":"\\u003c/script>\\u003cb>"'),
    "no spec can close its script element",
  );
  assert.equal(
    html.match(/<\/script>/g)!.length,
    7,
    "capture, three libraries, specs, embedding, table sorting",
  );
});
