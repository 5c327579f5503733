import assert from "node:assert/strict";
import type { TableBlock } from "../../tasks/report/report_document.ts";
import { referencesSection } from "../../tasks/report/sections/references_section.ts";
import { resultsSection } from "../../tasks/report/sections/results_section.ts";
import { STANDARD_RUNS } from "./_fixture_runs.ts";
import { fixtureReportData } from "./_fixture_report_data.ts";

Deno.test("referencesSection() sets measured results beside the lab report's, by group, run or experiment", async () => {
  const data = await fixtureReportData(STANDARD_RUNS.slice(0, 4), {
    references: {
      lenet: { top1: 0.9862, source: "lab report 000" },
      "cnn-conv_dropout=0-fc_dropout=0-seed=1": { top1: 0.8, top5: 0.95, loss: 0.5 },
      resnet: { top1: 0.99 },
    },
  });
  const [heading, table] = referencesSection(data) as [unknown, TableBlock];
  assert.deepEqual(heading, { kind: "heading", level: 2, text: "Against the reference results" });
  assert.deepEqual(table.rows.map((r) => r.slice(0, 4).concat(r[9])), [
    ["lenet", "98.62 %", "89.40 ± 0.70 %", "−9.22 pt", "lab report 000"],
    ["cnn-conv_dropout=0-fc_dropout=0", "80.00 %", "86.10 %", "+6.10 pt", ""],
  ]);
  assert.equal(table.rows[0][4], "—", "no top-5 reference");
  assert.equal(table.rows[1][7], "0.5000");
  assert.deepEqual(table.notes, [
    "Measured: test metrics (mean ± std over seeds); accuracy differences in percentage points. " +
    "Reduced runs (see Notes) cannot be expected to match.",
    "References naming no run: `resnet`.",
  ]);
});

Deno.test("referencesSection() is empty without references", async () => {
  assert.deepEqual(referencesSection(await fixtureReportData(STANDARD_RUNS.slice(0, 1))), []);
});

Deno.test("a skipped run is listed as not run, with its reason, in the results and beside its reference", async () => {
  const data = await fixtureReportData(STANDARD_RUNS.slice(0, 1), {
    references: {
      lenet: { top1: 0.9862, source: "lab report 000" },
      mobilenet: { top1: 0.9918, source: "lab report 000" },
    },
  });
  data.params.not_run = [
    { name: "mobilenet", experiment: "mobilenet", reason: "~9 h at 19 images/s on 2 cores" },
  ];
  const [, table] = referencesSection(data) as [unknown, TableBlock];
  assert.deepEqual(table.rows[1].slice(0, 4).concat(table.rows[1][9]), [
    "mobilenet",
    "99.18 %",
    "not run",
    "—",
    "lab report 000",
  ]);
  assert.ok(!table.notes!.some((n) => n.includes("naming no run")), "the reference is used");
  const results = resultsSection(data);
  assert.match(
    (results[1] as { text: string }).text,
    /1 run was not run \(listed below\)\./,
  );
  const notRun = results.at(-1) as TableBlock;
  assert.deepEqual(notRun.headers, ["Not run", "Experiment", "Why"]);
  assert.deepEqual(notRun.rows, [["mobilenet", "mobilenet", "~9 h at 19 images/s on 2 cores"]]);
});
