import assert from "node:assert/strict";
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
