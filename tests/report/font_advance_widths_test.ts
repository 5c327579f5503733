import assert from "node:assert/strict";
import { bundledFonts } from "../../tasks/report/_bundled_fonts.ts";
import { fontAdvanceWidths } from "../../tasks/report/_font_advance_widths.ts";
import { renderSvg } from "../../tasks/report/render_svg.ts";

Deno.test("fontAdvanceWidths() reads DejaVu Sans' published advance widths (2048 units per em)", () => {
  const regular = fontAdvanceWidths(bundledFonts().regular);
  const bold = fontAdvanceWidths(bundledFonts().bold);
  assert.equal(regular(" ") * 2048, 651);
  assert.equal(regular("0123456789") * 2048, 13030, "tabular digits, 1303 units each");
  assert.equal(bold("0") * 2048, 1425);
  assert.equal(regular("Mi") * 2048, 1767 + 569);
  assert.equal(regular("中") * 2048, 1229, "a character without a glyph counts as .notdef");
});

Deno.test("renderSvg() lays out text with the bundled font's widths, not vega's estimate", async () => {
  const chartWidth = async (label: string) => {
    const svg = await renderSvg({
      data: { values: [{ run: label, x: 1 }] },
      mark: "point",
      encoding: {
        x: { field: "x", type: "quantitative" },
        color: { field: "run", type: "nominal" },
      },
      config: { font: "DejaVu Sans", legend: { labelLimit: 1000, labelFontSize: 11 } },
    });
    assert.ok(svg.includes(`>${label}</text>`), "the legend label is not truncated");
    return Number(svg.match(/<svg[^>]* width="(\d+)"/)![1]);
  };
  const long = "cnn-conv_dropout=0.2-fc_dropout=0.2";
  const widthOf = fontAdvanceWidths(bundledFonts().regular);
  const measured = (widthOf(long) - widthOf("a")) * 11; // about 220 px
  const estimated = 0.8 * (long.length - 1) * 11; // vega's estimate: 299 px
  const grown = (await chartWidth(long)) - (await chartWidth("a"));
  assert.ok(Math.abs(grown - measured) <= 2, `grew ${grown} px, measured ${measured} px`);
  assert.ok(estimated - grown > 60);
});
