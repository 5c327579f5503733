/**
 * report.html of a sweep report in headless Chromium: every chart renders, wide tables fit a
 * 1,400 px window (or scroll inside their box with the first column pinned), and Chinese names
 * are drawn with a CJK font rather than boxes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decode } from "fast-png";
import { REPORT_CSS } from "../../tasks/report/_report_css.ts";
import { writeReport } from "../../tasks/report/write_report.ts";
import { CJK_NAMES, SWEEPS } from "./_chart_cases.ts";
import { fixtureParams, type FixtureRun, writeFixtureRuns } from "./_fixture_runs.ts";
import { loadInChromium, screenshotInChromium } from "./_load_in_chromium.ts";

async function html(root: string, runs: FixtureRun[], options: Record<string, unknown>) {
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const out = join(root, "out");
  await Deno.mkdir(out);
  await writeReport(fixtureParams(runs, { formats: { png: false }, ...options }), inputs, out);
  return join(out, "report.html");
}

/** Appends a script that writes each table's width, and its box's, into #probe. */
const PROBE = `<script>
  const rows = [...document.querySelectorAll(".table-wrap")].map((wrap) => {
    const heads = wrap.querySelectorAll("th");
    const first = heads[0].textContent + "/" + (heads[1] ? heads[1].textContent : "");
    const sticky = getComputedStyle(wrap.querySelector("td")).position;
    return first + "|" + wrap.scrollWidth + "|" + wrap.clientWidth + "|" + sticky;
  });
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = rows.join("\\n");
  document.body.append(pre);
</script>`;

Deno.test("a sweep report's HTML renders every chart and its wide tables fit 1,400 px", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-html-layout-" });
  try {
    const references = Object.fromEntries(
      ["cnn-lr=0.001", "resnet-conv_dropout=0.1-fc_dropout=0.3", "plain-bn=true-depth=12"].map((
        k,
      ) => [k, { top1: 0.45, top5: 0.7, loss: 2.1, source: "lab report 002, table 2 (ResNet)" }]),
    );
    const path = await html(root, SWEEPS, { references });
    const page = await loadInChromium(path);
    assert.equal(page.state, "ok", page.text);
    assert.equal(page.chartsWithSvg, page.total);
    assert.equal(page.total, 9, "curves, overviews, lr, bars, confusion and three sweep plots");
    assert.deepEqual(page.console, []);

    const text = await Deno.readTextFile(path);
    const probed = join(root, "probe.html");
    const at = text.lastIndexOf("</body>");
    await Deno.writeTextFile(probed, text.slice(0, at) + PROBE + text.slice(at));
    const wide = await loadInChromium(probed, { windowSize: [1400, 1000] });
    const tables = wide.dom.match(/<pre id="probe">([^<]*)<\/pre>/)![1].split("\n")
      .map((line) => line.split("|"));
    for (const first of ["Run/Model", "Run/Reference top-1", "Run/Seeds"]) {
      const found = tables.find((t) => t[0] === first);
      assert.ok(found, first);
      const [, scroll, client] = found;
      assert.ok(Number(scroll) <= Number(client), `${first}: ${scroll} px in a ${client} px box`);
    }
    assert.ok(tables.every((t) => t[3] === "sticky"), "the first column stays in view");
    assert.ok(tables.length >= 6);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("report.html draws Chinese run names with a CJK font, not as boxes", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-html-cjk-" });
  try {
    const path = await html(root, CJK_NAMES, { language: "zh-CN" });
    const page = await loadInChromium(path);
    assert.equal(page.state, "ok", page.text);
    assert.match(page.dom, /<html lang="zh-CN">/);
    assert.ok(page.dom.includes(">卷积网络</text>"), "the chart draws the name as text");
    // The same page style with two different names: a CJK font draws different glyphs, boxes
    // (no font) would be the same rectangles.
    const shots = [];
    for (const name of ["卷积网络", "残差网络"]) {
      const file = join(root, `${name}.html`);
      await Deno.writeTextFile(
        file,
        `<!doctype html><meta charset="utf-8"><style>${REPORT_CSS}</style><main><h1>${name}</h1></main>`,
      );
      shots.push(decode(await screenshotInChromium(file, [400, 120])));
    }
    assert.equal(shots[0].width, shots[1].width);
    assert.notDeepEqual(shots[0].data, shots[1].data);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
