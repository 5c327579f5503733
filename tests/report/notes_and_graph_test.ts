import assert from "node:assert/strict";
import { join } from "node:path";
import { dagCli } from "../../tasks/dag_cli.ts";
import { stageGraphSvg } from "../../tasks/report/figures/stage_graph_svg.ts";
import { renderHtml } from "../../tasks/report/render_html.ts";
import { reportPlanParams } from "../../tasks/report/report_plan_params.ts";
import {
  type GraphNodeLike,
  MAX_DRAWN_STAGES,
  stageGraphParam,
} from "../../tasks/report/stage_graph_param.ts";
import { buildReportDocument } from "../../tasks/report/build_report_document.ts";
import { renderMarkdown } from "../../tasks/report/render_markdown.ts";
import { fixtureReportData } from "./_fixture_report_data.ts";
import { STANDARD_RUNS } from "./_fixture_runs.ts";
import { parseSvg, texts } from "./_svg_tree.ts";

const NOTES =
  "## 分析\n\nLeNet 的准确率最高，*可能*是因为 … | a | b |\n\n- 第一点\n- second point\n";

Deno.test("reportPlanParams() reads report.notes beside the config and describes the graph", async () => {
  const dir = await Deno.makeTempDir({ prefix: "report-notes-" });
  try {
    await Deno.writeTextFile(join(dir, "notes.md"), NOTES);
    const data = { id: "data:mnist", kind: "data", inputs: {} };
    const train = { id: "train:a", kind: "train", inputs: { data } };
    const config = { name: "demo", path: join(dir, "demo.yaml"), report: { notes: "notes.md" } };
    const params = reportPlanParams(config, [data, train], { "train:a": train });
    assert.deepEqual(params.notes, { file: "notes.md", text: NOTES });
    assert.deepEqual(params.graph, {
      nodes: [
        { id: "data:mnist", kind: "data", inputs: [] },
        { id: "train:a", kind: "train", inputs: ["data:mnist"] },
        { id: "report:demo", kind: "report", inputs: ["train:a"] },
      ],
    });
    // The graph is described when first read (a big sweep's `status` never reads it), once.
    let inputReads = 0;
    const counted = {
      id: "train:b",
      kind: "train",
      get inputs() {
        inputReads++;
        return { data };
      },
    };
    const lazy = Object.defineProperties(
      {},
      Object.getOwnPropertyDescriptors(reportPlanParams(config, [data, counted], {})),
    ) as ReturnType<typeof reportPlanParams>;
    assert.equal(inputReads, 0);
    assert.deepEqual(lazy.graph.nodes.map((n) => n.id), ["data:mnist", "train:b", "report:demo"]);
    const described = inputReads;
    assert.ok(described > 0);
    assert.equal(lazy.graph, lazy.graph);
    assert.equal(inputReads, described);
    assert.deepEqual(JSON.parse(JSON.stringify(lazy)).graph, lazy.graph);
    const placed = { ...config, report: { notes: { file: "notes.md", after: "results" } } };
    assert.equal(reportPlanParams(placed, [], {}).notes!.text, NOTES);
    assert.equal(reportPlanParams({ ...config, report: {} }, [], {}).notes, undefined);
    const missing = { ...config, report: { notes: "missing.md" } };
    assert.throws(() => reportPlanParams(missing, [], {}), {
      message: `Cannot read report.notes of ${config.path} as ${join(dir, "missing.md")} does ` +
        "not exist: create it beside the config, or remove report.notes",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("notes go verbatim into report.md where the config puts them, and render as HTML", async () => {
  const data = await fixtureReportData(STANDARD_RUNS.slice(0, 3), {
    notes: { file: "notes.md", after: "results" },
  });
  data.params.notes = { file: "notes.md", text: NOTES };
  const document = buildReportDocument(data);
  const markdown = renderMarkdown(document);
  assert.ok(markdown.includes(NOTES.trim()), "verbatim");
  const at = markdown.indexOf("## 分析");
  assert.ok(at > markdown.indexOf("## Results") && at < markdown.indexOf("## Across seeds"));
  const html = await renderHtml(document);
  assert.match(
    html,
    /<section class="notes"><h2>分析<\/h2>\n<p>LeNet 的准确率最高，<em>可能<\/em>/,
  );
  assert.match(html, /<li>第一点<\/li>/);

  data.params.options.notes = "notes.md";
  const atEnd = renderMarkdown(buildReportDocument(data));
  const end = atEnd.indexOf("## 分析");
  assert.ok(end > atEnd.indexOf("## Validation accuracy per epoch"), "default: before appendices");
  assert.ok(end < atEnd.indexOf("## Appendix: model summaries"));
});

Deno.test("stageGraphSvg() draws every stage once, columns by depth, edges from the previous column", () => {
  const data = { id: "data:mnist", kind: "data", inputs: {} };
  const split = { id: "split:mnist", kind: "split", inputs: { data } };
  const runs = ["a", "b", "c"].map((r) => {
    const train = { id: `train:${r}`, kind: "train", inputs: { data, split } };
    return {
      train,
      evaluate: { id: `evaluate:${r}`, kind: "evaluate", inputs: { data, split, train } },
    };
  });
  const report = {
    id: "report:x",
    kind: "report",
    inputs: Object.fromEntries(
      runs.flatMap((r) => [[r.train.id, r.train], [r.evaluate.id, r.evaluate]]),
    ),
  };
  const graph = stageGraphParam([report]);
  assert.deepEqual(graph.nodes.map((n) => n.id), [
    "data:mnist",
    "split:mnist",
    "train:a",
    "evaluate:a",
    "train:b",
    "evaluate:b",
    "train:c",
    "evaluate:c",
    "report:x",
  ]);
  const svg = stageGraphSvg(graph, "Stage graph of x");
  const root = parseSvg(svg);
  assert.deepEqual(
    texts(root).sort(),
    ["Stage graph of x", ...graph.nodes.map((n) => n.id)].sort(),
  );
  // data→split, split→train ×3, train→evaluate ×3, evaluate→report ×3.
  assert.equal((svg.match(/<path /g) ?? []).length, 1 + 3 + 3 + 3);
  const x = (id: string) =>
    Number(svg.match(new RegExp(`<rect x="([\\d.]+)"[^>]*/>\\n<text[^>]*>${id}<`))![1]);
  assert.ok(x("data:mnist") < x("split:mnist") && x("split:mnist") < x("train:a"));
  assert.ok(x("train:a") < x("evaluate:a") && x("evaluate:a") < x("report:x"));
  assert.throws(
    () => stageGraphSvg({ nodes: [{ id: "a", kind: "x", inputs: ["b"] }] }, "t"),
    { message: "Cannot draw the stage graph as a reads b, which is not in it" },
  );
});

Deno.test("deno task dag draws the smoke config's graph and refuses bad arguments", async () => {
  const dir = await Deno.makeTempDir({ prefix: "report-dag-" });
  try {
    const errors: string[] = [];
    const err = (t: string) => errors.push(t);
    const out = join(dir, "dag.svg");
    assert.equal(await dagCli(["configs/smoke.yaml", "--out", out], () => {}, err), 0);
    const root = parseSvg(await Deno.readTextFile(out));
    const labels = texts(root);
    for (const id of ["data:fashion-mnist", "train:lenet", "evaluate:net", "report:smoke"]) {
      assert.ok(labels.includes(id), id);
    }
    const png = join(dir, "dag.png");
    assert.equal(await dagCli(["configs/smoke.yaml", "-o", png], () => {}, err), 0);
    assert.deepEqual([...(await Deno.readFile(png)).subarray(1, 4)], [0x50, 0x4e, 0x47]);
    errors.length = 0;
    assert.equal(await dagCli(["configs/smoke.yaml", "--out", "dag.pdf"], () => {}, err), 2);
    assert.match(
      errors[0],
      /^Cannot write the stage graph to dag\.pdf as it must end in \.svg or \.png/,
    );
    assert.equal(await dagCli([], () => {}, err), 2);
    assert.match(errors[1], /^Cannot draw the stage graph as one config file is needed: got 0/);
    assert.equal(await dagCli(["configs/nope.yaml"], () => {}, err), 2);
    assert.match(errors[2], /configs\/nope\.yaml/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stageGraphParam() draws a graph of more stages than fit by kind, with counts", () => {
  const data = { id: "data:mnist", kind: "data", inputs: {} };
  const split = { id: "split:mnist", kind: "split", inputs: { data } };
  const inputs: Record<string, GraphNodeLike> = {};
  for (let i = 0; i < 100_000; i++) {
    const train = { id: `train:${i}`, kind: "train", inputs: { data, split } };
    inputs[train.id] = train;
    inputs[`evaluate:${i}`] = { id: `evaluate:${i}`, kind: "evaluate", inputs: { data, train } };
  }
  const graph = stageGraphParam([{ id: "report:x", kind: "report", inputs }]);
  assert.deepEqual(graph.nodes, [
    { id: "data ×1", kind: "data", inputs: [] },
    { id: "split ×1", kind: "split", inputs: ["data ×1"] },
    { id: "train ×100,000", kind: "train", inputs: ["data ×1", "split ×1"] },
    { id: "evaluate ×100,000", kind: "evaluate", inputs: ["data ×1", "train ×100,000"] },
    { id: "report ×1", kind: "report", inputs: ["train ×100,000", "evaluate ×100,000"] },
  ]);
  const svg = stageGraphSvg(graph, "Stage graph of x");
  assert.deepEqual(
    texts(parseSvg(svg)).sort(),
    ["Stage graph of x", ...graph.nodes.map((n) => n.id)].sort(),
  );
  // Exactly at the limit every stage is drawn.
  const few: Record<string, GraphNodeLike> = {};
  for (let i = 0; i < MAX_DRAWN_STAGES - 1; i++) {
    few[`t${i}`] = { id: `t${i}`, kind: "t", inputs: {} };
  }
  assert.equal(
    stageGraphParam([{ id: "r", kind: "r", inputs: few }]).nodes.length,
    MAX_DRAWN_STAGES,
  );
});
