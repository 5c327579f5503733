import assert from "node:assert/strict";
import { lossChart } from "../../tasks/report/charts/loss_chart.ts";
import { lrScheduleChart } from "../../tasks/report/charts/lr_schedule_chart.ts";
import { testAccuracyChart } from "../../tasks/report/charts/test_accuracy_chart.ts";
import { epochX, niceTicks, percentScale } from "../../tasks/report/charts/axes.ts";
import { type FixtureRun, STANDARD_RUNS } from "./_fixture_runs.ts";
import { fixtureReportData } from "./_fixture_report_data.ts";

const size = { width: 400, height: 200 };

const reportData = (runs: FixtureRun[]) => fixtureReportData(runs);

// deno-lint-ignore no-explicit-any
const spec = (chart: { spec: unknown } | null) => chart!.spec as any;

Deno.test("lossChart() switches to a log axis only when losses span more than 30×", async () => {
  const data = await reportData(STANDARD_RUNS.slice(0, 2));
  const y = (chart: unknown) => spec(chart as { spec: unknown }).layer.at(-1).encoding.y;
  assert.deepEqual(y(lossChart(data, size)).scale, { zero: false });
  data.results[0].history[0].val_loss = 95;
  assert.equal(y(lossChart(data, size)).scale.type, "log");
  assert.equal(y(lossChart(data, size)).title, "cross-entropy loss (log scale)");
});

Deno.test("lrScheduleChart() uses a log axis for step decay by 10× twice, and is left out for a constant rate", async () => {
  const data = await reportData(STANDARD_RUNS.slice(0, 1));
  assert.deepEqual(spec(lrScheduleChart(data, size)).encoding.y.scale, { zero: false });
  [0.1, 0.01, 0.001, 0.001].forEach((lr, i) => (data.results[0].history[i].lr = lr));
  const y = spec(lrScheduleChart(data, size)).encoding.y;
  assert.deepEqual(y.scale, { type: "log", domain: [0.001, 0.1], nice: false });
  assert.deepEqual(y.axis.values, [0.001, 0.01, 0.1], "labels at powers of ten only");
  data.results[0].history.forEach((e) => (e.lr = 0.004));
  assert.equal(lrScheduleChart(data, size), null, "flat lines say nothing the setup does not");
});

Deno.test("testAccuracyChart() draws mean ± std error bars and seed dots for groups with several seeds", async () => {
  const data = await reportData(STANDARD_RUNS.slice(0, 4));
  const chart = spec(testAccuracyChart(data, size));
  assert.equal(chart.title, "Test top-1 accuracy (mean ± std over seeds; dots: seeds)");
  assert.deepEqual(chart.layer.map((l: { mark: { type: string } }) => l.mark.type), [
    "bar",
    "text",
    "errorbar",
    "point",
  ]);
  const lenet = chart.data.values.find((v: { run: string }) => v.run === "lenet");
  assert.equal(lenet.seeds, 3);
  assert.ok(Math.abs(lenet.top1 - 0.894) < 1e-12);
  assert.ok(Math.abs(lenet.hi - lenet.lo - 2 * 0.007) < 1e-12, "± one sample std");
  assert.deepEqual(chart.layer[3].data.values.map((v: { seed: number }) => v.seed), [1, 2, 3]);
  assert.deepEqual(chart.layer[0].encoding.x.axis, {
    values: [0, 0.2, 0.4, 0.6, 0.8, 1],
    format: ".0%",
  });
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

Deno.test("niceTicks() and epochX() give integer epoch ticks for 1, 7, 60 and 1,000 epochs", () => {
  assert.deepEqual(epochX([1], 400).axis.values, [1]);
  assert.deepEqual(epochX([1], 400).scale.domain, [0.5, 1.5], "one epoch sits mid-axis");
  assert.deepEqual(epochX([1, 2, 3, 4, 5, 6, 7], 400).axis.values, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(epochX([1, 60], 400).axis.values, [10, 20, 30, 40, 50, 60]);
  for (const last of [2, 3, 7, 25, 60, 100, 1000]) {
    const ticks = niceTicks(1, last, 10, 1);
    assert.ok(ticks.every(Number.isInteger), `${last}: ${ticks}`);
    assert.ok(ticks.length >= 2 && ticks.length <= 10, `${last}: ${ticks}`);
  }
  assert.deepEqual(niceTicks(1, 100, 5, 1), [25, 50, 75, 100]);
});

Deno.test("percentScale() snaps to whole steps and never repeats a label", () => {
  const cases: [number, number, number][] = [
    [0, 1, 480],
    [0.452, 0.468, 200],
    [0.97, 0.99, 150],
    [0.1735, 0.1788, 140],
    [0.8, 0.8, 200],
    [0, 1, 100],
  ];
  for (const [lo, hi, length] of cases) {
    const { scale, axis } = percentScale(lo, hi, length);
    const [from, to] = scale.domain;
    assert.ok(from <= lo + 1e-12 && to >= hi - 1e-12, `${lo}–${hi} in ${scale.domain}`);
    assert.equal(axis.values[0], from);
    assert.equal(axis.values.at(-1), to);
    assert.ok(axis.values.length <= Math.floor(length / 56) + 1 || axis.values.length === 3);
    const decimals = Number(axis.format.slice(1, -1));
    const labels = axis.values.map((v) => (v * 100).toFixed(decimals));
    assert.equal(new Set(labels).size, labels.length, `${lo}–${hi}: ${labels}`);
  }
  assert.deepEqual(percentScale(0.1735, 0.1788, 140).axis, {
    values: [0.17, 0.175, 0.18],
    format: ".1%",
  });
});
