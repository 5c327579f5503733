/**
 * Renders whole reports for the shapes of experiment that broke charts before — one epoch, 100
 * epochs, seeds, sweeps, 50 runs, Chinese names — and checks what the SVG and PNG files draw.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decode } from "fast-png";
import { renderPng } from "../../tasks/report/render_png.ts";
import { writeReport } from "../../tasks/report/write_report.ts";
import {
  CJK_NAMES,
  FIFTY_RUNS,
  HUNDRED_EPOCHS,
  ONE_EPOCH,
  SEEDS_APART,
  SWEEPS,
} from "./_chart_cases.ts";
import { fixtureParams, type FixtureRun, writeFixtureRuns } from "./_fixture_runs.ts";
import { axes, byClass, overlappingTicks, parseSvg, type SvgNode, texts } from "./_svg_tree.ts";

interface Rendered {
  out: string;
  files: string[];
  svg: (name: string) => Promise<SvgNode>;
  spec: (name: string) => Promise<{ title?: string }>;
}

async function render(
  runs: FixtureRun[],
  options: Record<string, unknown> = {},
): Promise<Rendered> {
  const root = await Deno.makeTempDir({ prefix: "report-cases-" });
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const out = join(root, "out");
  await Deno.mkdir(out);
  const { files } = await writeReport(fixtureParams(runs, options), inputs, out);
  return {
    out,
    files,
    svg: async (name) => parseSvg(await Deno.readTextFile(join(out, `charts/${name}.svg`))),
    spec: async (name) => JSON.parse(await Deno.readTextFile(join(out, `charts/${name}.vl.json`))),
  };
}

const chartNames = (r: Rendered) =>
  r.files.filter((f) => f.endsWith(".svg")).map((f) => f.slice("charts/".length, -4));

/** Marks a vega chart draws: points, line paths, bars, areas, rules of error bars. */
function markCount(root: SvgNode, kind: "symbol" | "line" | "rect" | "area" | "rule"): number {
  return byClass(root, `mark-${kind}`)
    .filter((g) => (g.attrs.class ?? "").includes("role-mark"))
    .reduce(
      (n, g) => n + g.children.filter((c) => c.name === "path" || c.name === "line").length,
      0,
    );
}

/** The checks every chart of every case must pass. */
async function checkEveryChart(r: Rendered): Promise<void> {
  for (const name of chartNames(r)) {
    const root = await r.svg(name);
    const all = texts(root);
    const cut = all.filter((t) => t.endsWith("…"));
    // Figures may shorten long names on purpose; chart titles and axis titles never.
    if (!["mistakes", "samples", "stage-graph"].includes(name)) {
      assert.deepEqual(cut, [], `${name}: truncated text`);
      const spec = await r.spec(name);
      const title = typeof spec.title === "string" ? spec.title : "";
      if (title) assert.ok(all.includes(title), `${name}: title "${title}" not drawn whole`);
    }
    for (const axis of axes(root)) {
      assert.deepEqual(overlappingTicks(axis), [], `${name}: ${axis.label}`);
      if (axis.title === "epoch") {
        assert.ok(axis.ticks.length > 0, `${name}: an epoch axis without ticks`);
        for (const tick of axis.ticks) assert.match(tick.text, /^\d+$/, `${name}: ${axis.label}`);
      }
      const labels = axis.ticks.map((t) => t.text);
      assert.equal(new Set(labels).size, labels.length, `${name}: repeated labels ${labels}`);
    }
    const png = decode(await Deno.readFile(join(r.out, `charts/${name}.png`)));
    const width = Number(root.children[0].attrs.width);
    assert.equal(png.width, Math.round(width * 2), name);
    assert.ok(new Set(png.data).size > 2, `${name}.png is blank`);
  }
}

Deno.test("a report of 1-epoch runs draws a dot per run, integer epochs, and no flat lr chart", async () => {
  const r = await render(ONE_EPOCH);
  await checkEveryChart(r);
  assert.ok(!chartNames(r).includes("lr-schedule"), "a constant rate draws no chart");
  const val = await r.svg("val-accuracy");
  assert.equal(markCount(val, "symbol"), 6, "one dot per run");
  const epoch = axes(val).find((a) => a.title === "epoch")!;
  assert.deepEqual(epoch.ticks.map((t) => t.text), ["1"]);
  // Per model: loss (train, validation), top-1 (train, validation), top-5 (validation).
  assert.equal(markCount(await r.svg("curves"), "symbol"), 6 * 5);
  assert.equal(markCount(await r.svg("loss"), "symbol"), 6);
});

Deno.test("a report of 100-epoch runs draws lines with a handful of integer ticks", async () => {
  const r = await render(HUNDRED_EPOCHS);
  await checkEveryChart(r);
  const val = await r.svg("val-accuracy");
  assert.equal(markCount(val, "symbol"), 0, "no dots on 100 epochs");
  assert.ok(markCount(val, "line") >= 2);
  const epoch = axes(val).find((a) => a.title === "epoch")!;
  assert.ok(
    epoch.ticks.length >= 4 && epoch.ticks.length <= 12,
    epoch.ticks.map((t) => t.text).join(),
  );
  assert.ok(chartNames(r).includes("lr-schedule"), "step decay is drawn");
});

Deno.test("a multi-seed report draws each configuration once, as a mean line with a band", async () => {
  const r = await render(SEEDS_APART);
  await checkEveryChart(r);
  const spec = await r.spec("val-accuracy") as { data: { values: { label: string }[] } };
  assert.deepEqual([...new Set(spec.data.values.map((v) => v.label))], ["resnet", "lenet"]);
  const val = await r.svg("val-accuracy");
  assert.equal(markCount(val, "area"), 2, "a min–max band per configuration");
  const bars = await r.svg("test-accuracy");
  assert.equal(markCount(bars, "symbol"), 6, "a dot per seed");
  assert.ok(markCount(bars, "rule") >= 2, "error bars");
});

Deno.test("a sweep report plots accuracy against the swept value: log lr axis, paired labels, grid lines", async () => {
  const r = await render(SWEEPS, { max_lines: 4 });
  await checkEveryChart(r);
  const lr = await r.svg("ablation-cnn-lr");
  const x = axes(lr).find((a) => a.title === "train.lr")!;
  assert.deepEqual(x.ticks.map((t) => t.text), ["0.0001", "0.001", "0.01", "0.1"]);
  assert.match(x.label, /log scale/);
  const gaps = x.ticks.slice(1).map((t, i) => t.x - x.ticks[i].x);
  assert.ok(Math.max(...gaps) - Math.min(...gaps) < 1, "decades equally spaced");
  assert.equal(markCount(lr, "symbol"), 8, "top-1 and top-5 at four rates");
  assert.ok(markCount(lr, "rule") >= 8, "seed error bars");
  const y = axes(lr).find((a) => a.label.startsWith("Y-axis"))!;
  assert.equal(y.title, "test accuracy (mean ± std)", "one title, not merged with the bars' field");
  const pairs = axes(await r.svg("ablation-resnet-dropout")).find((a) => a.title.includes(","))!;
  assert.deepEqual(pairs.ticks.map((t) => t.text), ["(0, 0)", "(0.1, 0.3)", "(0.2, 0.5)"]);
  const grid = await r.svg("ablation-plain-depth");
  assert.deepEqual(axes(grid).find((a) => a.title === "model.depth")!.ticks.map((t) => t.text), [
    "8",
    "10",
    "12",
  ]);
  assert.equal(markCount(grid, "line"), 2, "a line per batch_norm value");
  // 13 configurations in three sweeps: one panel per sweep instead of one tangle, and the
  // 6-point grid (over max_lines = 4) one panel per value of its first key.
  const val = await r.spec("val-accuracy") as { vconcat?: { title: { text: string } }[] };
  assert.deepEqual(val.vconcat!.map((p) => p.title.text), [
    "lr (cnn): train.lr",
    "dropout (resnet): model.conv_dropout, model.fc_dropout",
    "depth (plain): model.batch_norm=true",
    "depth (plain): model.batch_norm=false",
  ]);
});

Deno.test("a 50-run grid splits its overview by the first swept key and keeps every run", async () => {
  const r = await render(FIFTY_RUNS, { sections: { images: false } });
  await checkEveryChart(r);
  const val = await r.spec("val-accuracy") as { vconcat: { title: { text: string } }[] };
  assert.equal(val.vconcat.length, 5, "one panel per learning rate");
  const svg = await r.svg("val-accuracy");
  assert.ok(markCount(svg, "symbol") >= 25 * 6, "every configuration at every epoch");
  const curves = await r.spec("curves") as { vconcat: unknown[] };
  assert.equal(curves.vconcat.length, 25, "a row of panels per configuration");
});

Deno.test("Chinese run and class names render with the CJK font, not as boxes", async () => {
  const r = await render(CJK_NAMES);
  await checkEveryChart(r);
  const svgText = await Deno.readTextFile(join(r.out, "charts/test-accuracy.svg"));
  assert.ok(svgText.includes(">卷积网络</text>") && svgText.includes(">残差网络</text>"));
  for (const name of ["test-accuracy", "confusion", "mistakes"]) {
    const svg = await Deno.readTextFile(join(r.out, `charts/${name}.svg`));
    const withFont = await Deno.readFile(join(r.out, `charts/${name}.png`));
    const tofu = (await renderPng(svg, { withoutFallback: true })).png;
    const a = decode(withFont);
    const b = decode(tofu);
    assert.equal(a.width, b.width);
    let differing = 0;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) differing++;
    assert.ok(
      differing > 200,
      `${name}: the CJK rendering differs from the boxes in ${differing} bytes`,
    );
  }
  // Two different names must not draw the same pixels (boxes would).
  const one = await renderPng(svgWithText("卷积网络"));
  const other = await renderPng(svgWithText("残差网络"));
  assert.notDeepEqual(decode(one.png).data, decode(other.png).data);
  const tofuOne = await renderPng(svgWithText("卷积网络"), { withoutFallback: true });
  const tofuOther = await renderPng(svgWithText("残差网络"), { withoutFallback: true });
  assert.deepEqual(decode(tofuOne.png).data, decode(tofuOther.png).data, "boxes look alike");
});

function svgWithText(text: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><rect width="120" ` +
    `height="30" fill="white"/><text x="4" y="20" font-family="DejaVu Sans" font-size="16">` +
    `${text}</text></svg>`;
}
