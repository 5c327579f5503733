import assert from "node:assert/strict";
import { formatMeanStd, formatMetric } from "../../tasks/report/format_metric.ts";
import { meanStd } from "../../tasks/report/mean_std.ts";

Deno.test("formatMetric() shows accuracies as percentages or, like the lab reports, fractions", () => {
  assert.equal(formatMetric("accuracy", 0.98123), "98.12 %");
  assert.equal(formatMetric("accuracy", 0.4512, { accuracy: "fraction" }), "0.4512");
  assert.equal(formatMetric("accuracy", 0.4512, { decimals: 1 }), "45.1 %");
});

Deno.test("formatMetric() formats counts, durations, rates and learning rates for reading", () => {
  assert.equal(formatMetric("integer", 11_689_512), "11,689,512");
  assert.equal(formatMetric("seconds", 41.46), "41.5 s");
  assert.equal(formatMetric("seconds", 85.4), "1 min 25 s");
  assert.equal(formatMetric("seconds", 3725), "1 h 02 min");
  assert.equal(formatMetric("rate", 2450.6), "2,451");
  assert.equal(formatMetric("rate", 12.34), "12.3");
  assert.equal(formatMetric("lr", 0.015), "0.015");
  assert.equal(formatMetric("lr", 0.000015), "1.50e-5");
  assert.equal(formatMetric("loss", 0.018912), "0.0189");
});

Deno.test("formatMetric() shows a dash for missing and non-finite values", () => {
  for (const value of [null, undefined, NaN, Infinity]) {
    assert.equal(formatMetric("loss", value), "—");
  }
});

Deno.test("meanStd() uses the sample standard deviation and ignores non-finite values", () => {
  const stat = meanStd([0.894, 0.887, 0.901, null, NaN]);
  assert.equal(stat.n, 3);
  assert.ok(Math.abs(stat.mean - 0.894) < 1e-12);
  assert.ok(Math.abs(stat.std! - 0.007) < 1e-12, "sqrt((0 + 0.007² + 0.007²) / 2)");
  assert.deepEqual(meanStd([0.5]), { mean: 0.5, std: null, n: 1 });
  assert.deepEqual(meanStd([null]), { mean: NaN, std: null, n: 0 });
});

Deno.test("formatMeanStd() writes mean ± std with one unit, or the single value", () => {
  const f = { accuracy: "percent" as const, decimals: 2 };
  assert.equal(formatMeanStd("accuracy", meanStd([0.894, 0.887, 0.901]), f), "89.40 ± 0.70 %");
  assert.equal(
    formatMeanStd("accuracy", meanStd([0.45, 0.46]), { accuracy: "fraction" }),
    "0.4550 ± 0.0071",
  );
  assert.equal(formatMeanStd("accuracy", meanStd([0.894]), f), "89.40 %");
  assert.equal(formatMeanStd("loss", meanStd([]), f), "—");
  assert.equal(formatMeanStd("count", meanStd([4, 4, 4]), f), "4", "equal epochs need no ± 0");
  assert.equal(formatMeanStd("count", meanStd([3, 4, 5]), f), "4 ± 1");
});
