import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBest } from "../../tasks/report/select_best.ts";
import { confidenceInterval95 } from "../../tasks/report/stats/confidence_interval.ts";
import { tQuantile, tTwoSidedP } from "../../tasks/report/stats/student_t.ts";
import { welchTTest } from "../../tasks/report/stats/welch_t_test.ts";
import { writeReport } from "../../tasks/report/write_report.ts";
import { SEEDS_APART, SEEDS_OVERLAPPING } from "./_chart_cases.ts";
import { fixtureParams, type FixtureRun, writeFixtureRuns } from "./_fixture_runs.ts";
import { fixtureReportData } from "./_fixture_report_data.ts";
import { tableStartingWith } from "./_markdown_tables.ts";

const close = (a: number, b: number, tolerance: number) =>
  assert.ok(Math.abs(a - b) <= tolerance, `${a} is not within ${tolerance} of ${b}`);

Deno.test("tTwoSidedP() and tQuantile() agree with the t table", () => {
  // Two-sided 5 % critical values: df 1 → 12.706, 2 → 4.303, 10 → 2.228, 30 → 2.042.
  for (const [df, t] of [[1, 12.706], [2, 4.303], [10, 2.228], [30, 2.042]]) {
    close(tQuantile(0.975, df), t, 0.0005);
    close(tTwoSidedP(t, df), 0.05, 0.0002);
  }
  close(tTwoSidedP(1, 1), 0.5, 1e-12); // Cauchy: P(|T| ≥ 1) = 1/2
  assert.equal(tTwoSidedP(0, 5), 1);
  assert.throws(() => tTwoSidedP(1, 0), {
    message: "Cannot compute a t probability as df must be positive: it is 0",
  });
});

Deno.test("welchTTest() on fixed inputs", () => {
  // Equal variances and sizes: Welch reduces to Student's t, t = −5, df = 8, p = 0.00105.
  const a = welchTTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!;
  close(a.t, -5, 1e-12);
  close(a.df, 8, 1e-12);
  close(a.p, 0.001052, 0.000002);
  // The case: 51.61 ± 15.47 % vs 50.13 ± 1.08 % with n = 2 is no difference at all.
  const b = welchTTest([0.5161 + 0.1094, 0.5161 - 0.1094], [0.5013 + 0.00764, 0.5013 - 0.00764])!;
  close(b.t, 0.135, 0.001);
  close(b.df, 1.01, 0.01);
  assert.ok(b.p > 0.9, `p = ${b.p}`);
  assert.equal(welchTTest([0.9], [0.8, 0.81]), null, "one seed: nothing to test");
  assert.deepEqual(welchTTest([0.9, 0.9], [0.8, 0.8]), { t: Infinity, df: 2, p: 0 });
  assert.deepEqual(welchTTest([0.9, 0.9], [0.9, 0.9]), { t: 0, df: 2, p: 1 });
});

Deno.test("confidenceInterval95() uses t(0.975, n − 1) and stays within the bounds", () => {
  const ci = confidenceInterval95({ mean: 0.9, std: 0.01, n: 3 })!;
  close(ci.hi - 0.9, 4.303 * 0.01 / Math.sqrt(3), 0.00001);
  assert.deepEqual(confidenceInterval95({ mean: 0.99, std: 0.05, n: 2 }, { lo: 0, hi: 1 })!.hi, 1);
  assert.equal(confidenceInterval95({ mean: 0.9, std: null, n: 1 }), null);
});

Deno.test("selectBest() selects on validation and calls a clear gap significant", async () => {
  const data = await fixtureReportData(SEEDS_APART);
  const { selection } = data;
  assert.equal(selection.group!.label, "resnet");
  assert.equal(selection.verdict.kind, "significant");
  if (selection.verdict.kind !== "significant") return;
  assert.equal(selection.verdict.runnerUp.label, "lenet");
  assert.ok(selection.verdict.test.p < 0.001, `p = ${selection.verdict.test.p}`);
});

Deno.test("selectBest() finds no significant difference between overlapping seeds", async () => {
  const data = await fixtureReportData(SEEDS_OVERLAPPING);
  assert.equal(data.selection.verdict.kind, "not-significant");
  const { selection } = data;
  if (selection.verdict.kind !== "not-significant") return;
  assert.deepEqual(
    [selection.group!.label, selection.verdict.runnerUp.label].sort(),
    ["narrow", "wide"],
  );
  assert.ok(selection.verdict.test.p > 0.5);
});

Deno.test("selectBest() never selects on the test set by default, even when test disagrees", async () => {
  // b has the better test top-1 but a worse last-epoch validation top-1 than a.
  const runs: FixtureRun[] = [
    { name: "a", experiment: "a", seed: 0, model: "lenet", top1: 0.9, epochs: 3 },
    { name: "b", experiment: "b", seed: 0, model: "cnn", top1: 0.92, epochs: 3 },
  ];
  const data = await fixtureReportData(runs);
  data.results[0].history.at(-1)!.val_top1 = 0.95;
  data.results[1].history.at(-1)!.val_top1 = 0.85;
  const selection = selectBest(data.seedGroups, data.flags, "val_top1");
  assert.equal(selection.run!.run.name, "a");
  assert.equal(selectBest(data.seedGroups, data.flags, "test_top1").run!.run.name, "b");
});

async function markdownOf(runs: FixtureRun[]): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "report-significance-" });
  try {
    const inputs = await writeFixtureRuns(join(root, "in"), runs);
    const out = join(root, "out");
    await Deno.mkdir(out);
    await writeReport(
      fixtureParams(runs, { formats: { png: false, svg: false, html: false } }),
      inputs,
      out,
    );
    return await Deno.readTextFile(join(out, "report.md"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("the report bolds a winner only when Welch's t-test says so, and states the test", async () => {
  const apart = await markdownOf(SEEDS_APART);
  assert.match(
    apart,
    /Significantly better than the runner-up lenet: 90\.50 ± 0\.50 % \(95 % CI 89\.26–91\.74 %, 3 seeds\) vs 80\.50 ± 0\.50 % \(95 % CI 79\.26–81\.74 %, 3 seeds\); Welch's t-test on the seeds' test top-1, two-sided, α = 0\.05: p < 0\.001\./,
  );
  const seeds = tableStartingWith(apart, "Config", "Seeds");
  assert.deepEqual(seeds.rows.map((r) => r[3]), ["**90.50 ± 0.50 %**", "80.50 ± 0.50 %"]);
  assert.equal(
    tableStartingWith(apart, "Run", "Model").rows.filter((r) => r[0].startsWith("**")).length,
    1,
  );

  const overlapping = await markdownOf(SEEDS_OVERLAPPING);
  assert.match(
    overlapping,
    /No significant difference from the runner-up (wide|narrow): .*p = 0\.9\d*\./,
  );
  assert.ok(!overlapping.includes("**51.60"), "no bold winner");
  assert.deepEqual(
    tableStartingWith(overlapping, "Run", "Model").rows.filter((r) => r[0].startsWith("**")),
    [],
  );
});
