import assert from "node:assert/strict";
import type { TableBlock } from "../../tasks/report/report_document.ts";
import { seedsSection } from "../../tasks/report/sections/seeds_section.ts";
import type { FixtureRun } from "./_fixture_runs.ts";
import { fixtureReportData } from "./_fixture_report_data.ts";

const seed = (s: number, top1: number, status?: "diverged"): FixtureRun => ({
  name: `lenet-seed=${s}`,
  experiment: "lenet",
  seed: s,
  model: "lenet",
  top1,
  epochs: 3,
  status,
});

Deno.test("seedsSection() leaves a diverged seed out of the mean and says so", async () => {
  const data = await fixtureReportData([seed(1, 0.8), seed(2, 0.9), seed(3, 0.2, "diverged")]);
  const table = seedsSection(data).find((b): b is TableBlock => b.kind === "table")!;
  assert.deepEqual(table.headers, [
    "Config",
    "Seeds",
    "Val top-1",
    "Test top-1",
    "95 % CI",
    "Top-5",
    "Loss",
    "Epochs",
  ]);
  // n = 2: t(0.975, 1) = 12.706, so the interval is 85 ± 12.706 × 7.071 / √2 = 85 ± 63.53 %,
  // cut to what an accuracy can be.
  assert.deepEqual(table.rows.map((r) => [r[0], r[1], r[3], r[4]]), [
    ["lenet", "1, 2, 3 (diverged)", "85.00 ± 7.07 %", "21.47–100.00 %"],
  ]);
});

Deno.test("seedsSection() is empty when every config ran with one seed", async () => {
  const data = await fixtureReportData([seed(1, 0.8)]);
  assert.deepEqual(seedsSection(data), []);
});
