import assert from "node:assert/strict";
import { lossChart } from "../../tasks/report/charts/loss_chart.ts";
import { lrScheduleChart } from "../../tasks/report/charts/lr_schedule_chart.ts";
import { testAccuracyChart } from "../../tasks/report/charts/test_accuracy_chart.ts";
import { type FixtureRun, STANDARD_RUNS } from "./_fixture_runs.ts";
import { fixtureReportData } from "./_fixture_report_data.ts";

const size = { width: 400, height: 200 };

const reportData = (runs: FixtureRun[]) => fixtureReportData(runs);

// deno-lint-ignore no-explicit-any
const spec = (chart: { spec: unknown } | null) => chart!.spec as any;

Deno.test("lossChart() switches to a log axis only when losses span more than 30×", async () => {
  const data = await reportData(STANDARD_RUNS.slice(0, 2));
  assert.deepEqual(spec(lossChart(data, size)).encoding.y.scale, { zero: false });
  data.results[0].history[0].train_loss = 95;
  const y = spec(lossChart(data, size)).encoding.y;
  assert.deepEqual(y.scale, { type: "log" });
  assert.equal(y.title, "cross-entropy loss (log scale)");
});

Deno.test("lrScheduleChart() uses a log axis for step decay by 10× twice", async () => {
  const data = await reportData(STANDARD_RUNS.slice(0, 1));
  assert.deepEqual(spec(lrScheduleChart(data, size)).encoding.y.scale, { zero: false });
  [0.1, 0.01, 0.001, 0.001].forEach((lr, i) => (data.results[0].history[i].lr = lr));
  assert.deepEqual(spec(lrScheduleChart(data, size)).encoding.y.scale, { type: "log" });
});

Deno.test("testAccuracyChart() draws mean ± std error bars for groups with several seeds", async () => {
  const data = await reportData(STANDARD_RUNS.slice(0, 4));
  const chart = spec(testAccuracyChart(data, size));
  assert.equal(chart.title, "Test top-1 accuracy (mean ± std over seeds)");
  assert.equal(chart.layer.length, 3);
  assert.equal(chart.layer[2].mark.type, "errorbar");
  const lenet = chart.data.values.find((v: { run: string }) => v.run === "lenet");
  assert.equal(lenet.seeds, 3);
  assert.ok(Math.abs(lenet.top1 - 0.894) < 1e-12);
  assert.ok(Math.abs(lenet.hi - lenet.lo - 2 * 0.007) < 1e-12, "± one sample std");
  const single = spec(testAccuracyChart(await reportData(STANDARD_RUNS.slice(3, 5)), size));
  assert.equal(single.title, "Test top-1 accuracy");
  assert.equal(single.layer.length, 2, "no error bars without seeds");
});

Deno.test("charts leave out runs without finite numbers instead of failing", async () => {
  const data = await reportData(STANDARD_RUNS.slice(0, 1));
  for (const e of data.results[0].history) {
    e.val_top1 =
      e.lr =
      e.train_loss =
      e.val_loss =
        null;
  }
  assert.equal(lossChart(data, size), null);
  assert.equal(lrScheduleChart(data, size), null);
});
