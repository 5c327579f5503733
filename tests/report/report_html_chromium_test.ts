import assert from "node:assert/strict";
import { join } from "node:path";
import { writeReport } from "../../tasks/report/write_report.ts";
import { fixtureParams, STANDARD_RUNS, writeFixtureRuns } from "./_fixture_runs.ts";
import { loadInChromium } from "./_load_in_chromium.ts";

Deno.test("report.html in headless Chromium", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "report-html-test-" });
  const inputs = await writeFixtureRuns(join(root, "in"), STANDARD_RUNS);
  const out = join(root, "out");
  await Deno.mkdir(out);
  await writeReport(fixtureParams(STANDARD_RUNS), inputs, out);
  const html = await Deno.readTextFile(join(out, "report.html"));

  await t.step("is self-contained: no external script, style, image or font", () => {
    assert.doesNotMatch(html, /<script[^>]+src=/);
    assert.doesNotMatch(html, /<link[^>]+href=/);
    assert.doesNotMatch(html, /<img[^>]+src="http/);
    assert.doesNotMatch(html, /@import|url\(http/);
  });

  const page = await loadInChromium(join(out, "report.html"));

  await t.step("renders every chart as an SVG with no console message", () => {
    assert.equal(page.text, "Rendered 7 of 7 charts.");
    assert.equal(page.state, "ok");
    assert.equal(page.rendered, 7);
    assert.equal(page.total, 7);
    assert.equal(page.chartsWithSvg, 7);
    assert.deepEqual(page.console, []);
    // The image grids are inline SVG with their thumbnails as PNG data.
    for (const figure of ["mistakes", "samples"]) {
      const at = page.dom.indexOf(`<figure class="picture" id="figure-${figure}"`);
      assert.ok(at > 0, figure);
      assert.match(page.dom.slice(at, at + 4000), /<image [^>]*href="data:image\/png;base64,/);
    }
  });

  await t.step("shows the same results table as report.md", () => {
    for (
      const cell of ["89.40 %", "⚠ stuck at chance: test top-1 10.40 % (chance 10.00 %)", "2 of 10"]
    ) {
      assert.ok(page.dom.includes(`>${cell}</td>`), cell);
    }
    assert.ok(page.dom.includes("<td>alexnet-seed=1</td>"), "no winner without seeds");
    assert.match(
      page.dom,
      /<nav class="toc"><a href="#results">Results<\/a> · <a href="#across-seeds">Across seeds<\/a> · /,
    );
  });

  await t.step(
    "sorts a table by the clicked column, numbers as numbers and dashes last",
    async () => {
      const probe = `<script>
      const table = document.querySelector("main table");
      const header = (name) => [...table.querySelectorAll("th")].find((th) => th.textContent === name);
      const column = () => [...table.tBodies[0].rows].map((r) => r.cells[0].textContent).join(",");
      header("Test top-1").click();
      const byTop1 = column();
      header("Loss").click();
      header("Loss").click();
      const pre = document.createElement("pre");
      pre.id = "probe";
      pre.textContent = byTop1 + " / " + column();
      document.body.append(pre);
    </script>`;
      const path = join(out, "sort.html");
      await Deno.writeTextFile(path, insertBeforeLast(html, "</body>", probe));
      const page = await loadInChromium(path);
      const [byTop1, byLoss] = page.dom.match(/<pre id="probe">([^<]*)<\/pre>/)![1].split(" / ");
      assert.equal(
        byTop1,
        "alexnet-seed=1,cnn-conv_dropout=0.2-fc_dropout=0.2-seed=1,lenet-seed=3,lenet-seed=1," +
          "lenet-seed=2,cnn-conv_dropout=0-fc_dropout=0-seed=1,cnn-conv_dropout=0.3-fc_dropout=0.7-seed=1," +
          "nin-seed=1,vgg-lr=0.5-seed=1",
      );
      assert.equal(byLoss.split(",").at(-1), "vgg-lr=0.5-seed=1", "no loss (—) sorts last");
      assert.equal(byLoss.split(",")[0], "alexnet-seed=1", "lowest loss first when ascending");
      assert.equal(page.state, "ok");
    },
  );

  await t.step("reports a chart whose spec vega-lite rejects", async () => {
    const broken = html.replace('"mark":{"type":"rect"}', '"mark":{"type":"no-such-mark"}');
    assert.notEqual(broken, html);
    const path = join(out, "broken.html");
    await Deno.writeTextFile(path, broken);
    const page = await loadInChromium(path);
    assert.equal(page.state, "error");
    assert.equal(page.rendered, 6);
    assert.match(page.text, /^Rendered 6 of 7 charts; errors: .*chart confusion: /);
  });

  await t.step("reports a console error and an uncaught exception on the page", async () => {
    const broken = insertBeforeLast(
      html,
      "</main>",
      '<script>console.error("something failed"); setTimeout(() => { throw new Error("late"); });</script>',
    );
    const path = join(out, "console.html");
    await Deno.writeTextFile(path, broken);
    const page = await loadInChromium(path);
    assert.equal(page.state, "error");
    assert.equal(page.rendered, 7);
    assert.match(page.text, /console\.error: something failed/);
    assert.match(page.text, /error: Uncaught Error: late/);
  });

  await t.step("reports a page whose chart libraries failed to load", async () => {
    const broken = html.replace(
      /<script>!function\(e,t\)\{"object"==typeof exports[\s\S]*?<\/script>/,
      "<script>syntax error here(</script>",
    );
    assert.notEqual(broken, html);
    const path = join(out, "nolib.html");
    await Deno.writeTextFile(path, broken);
    const page = await loadInChromium(path);
    assert.equal(page.state, "error");
    assert.equal(page.rendered, 0);
  });

  await Deno.remove(root, { recursive: true });
});

/** Inserts `text` before the last `marker` (the inlined libraries may contain the marker too). */
function insertBeforeLast(html: string, marker: string, text: string): string {
  const at = html.lastIndexOf(marker);
  assert.ok(at >= 0, marker);
  return html.slice(0, at) + text + html.slice(at);
}
