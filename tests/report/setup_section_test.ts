import assert from "node:assert/strict";
import { buildReportDocument } from "../../tasks/report/build_report_document.ts";
import { renderMarkdown } from "../../tasks/report/render_markdown.ts";
import { reportOptionsSchema } from "../../tasks/report/report_options.ts";
import { setupSection } from "../../tasks/report/sections/setup_section.ts";
import { fixtureReportData } from "./_fixture_report_data.ts";
import { STANDARD_RUNS } from "./_fixture_runs.ts";

Deno.test("setupSection() names the command-line overrides, and says nothing of them when there are none", async () => {
  const data = await fixtureReportData(STANDARD_RUNS.slice(0, 2));
  const paragraphs = (blocks: ReturnType<typeof setupSection>) =>
    blocks.filter((b) => b.kind === "paragraph").map((b) => (b as { text: string }).text);
  assert.ok(!paragraphs(setupSection(data)).some((t) => t.includes("override")));
  data.params.config.overrides = ["train.lr=0.01", "lenet.model.fc_dropout=0.3"];
  assert.equal(
    paragraphs(setupSection(data))[0],
    "Command-line overrides (over configs/fixture.yaml): `train.lr=0.01`, `lenet.model.fc_dropout=0.3`.",
  );
});

Deno.test("report.md's setup section lists the config's assumptions, then the runs' own", async () => {
  const [a, b] = STANDARD_RUNS.slice(3, 5);
  const runs = [
    { ...a, assumptions: ["batch size 64: lab report 004 does not state it"] },
    { ...b, assumptions: ["5 epochs: lab report 004 does not state them"] },
  ];
  const data = await fixtureReportData(runs, {
    assumptions: ["validation 0.1 of the training set: the lab report does not say"],
  });
  const markdown = renderMarkdown(buildReportDocument(data));
  const setup = markdown.slice(markdown.indexOf("## Setup"));
  const section = setup.slice(0, setup.indexOf("\n## ", 4));
  const lines = section.split("\n");
  const at = (text: string) => lines.findIndex((l) => l.includes(text));
  assert.ok(at("Assumptions of this configuration (its source does not say):") > 0);
  assert.ok(
    at("- validation 0.1 of the training set: the lab report does not say") >
      at("Assumptions of this configuration"),
  );
  assert.ok(at("Assumptions stated by the runs:") > at("- validation 0.1"));
  assert.ok(at(`- **${data.seedGroups[0].label}**: batch size 64: lab report 004`) > 0);
  assert.ok(at(`- **${data.seedGroups[1].label}**: 5 epochs: lab report 004`) > 0);
  // The same list on every run is shown once; no assumptions, no paragraph.
  const same = await fixtureReportData(runs.map((r) => ({ ...r, assumptions: ["SGD lr 0.1"] })));
  const texts = setupSection(same).map((b) =>
    b.kind === "list" ? b.items.join("|") : "text" in b ? b.text : ""
  );
  assert.deepEqual(texts.slice(-2), ["Assumptions stated for every run:", "SGD lr 0.1"]);
  const none = await fixtureReportData(STANDARD_RUNS.slice(3, 5));
  assert.ok(!setupSection(none).some((b) => "text" in b && b.text.includes("Assumptions")));
});

Deno.test("report.assumptions must be a list of non-empty strings", () => {
  assert.throws(
    () => reportOptionsSchema.parse({ assumptions: "batch 64" }),
    /expected array/,
  );
  const bad = reportOptionsSchema.safeParse({ assumptions: ["ok", " "] });
  assert.ok(!bad.success);
  assert.deepEqual(bad.error.issues[0].path, ["assumptions", 1]);
});
