import assert from "node:assert/strict";
import { maxOf, minOf } from "../../tasks/report/extent.ts";
import { epochX, positiveScale } from "../../tasks/report/charts/axes.ts";
import { stageGraphSvg } from "../../tasks/report/figures/stage_graph_svg.ts";

Deno.test("minOf() / maxOf() answer like Math.min / Math.max for lists too long to spread", () => {
  const long = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
  assert.throws(() => Math.max(...long), RangeError, "spreading this list overflows the stack");
  assert.equal(minOf(long), 0);
  assert.equal(maxOf(long), long.reduce((a, b) => (b > a ? b : a)));
  assert.equal(maxOf(long), 1_000_002);
  assert.equal(maxOf([3, -2, 9.5]), 9.5);
  assert.equal(minOf([3, -2, 9.5]), -2);
  assert.ok(Number.isNaN(maxOf([1, NaN, 3])) && Number.isNaN(minOf([NaN])));
  assert.equal(maxOf([]), -Infinity);
  assert.equal(minOf(new Set([4, 2])), 2);
});

Deno.test("chart axes and the stage graph take a value per run and epoch of a big sweep", () => {
  const epochs = Array.from({ length: 1_000_000 }, (_, i) => 1 + (i % 10));
  assert.doesNotThrow(() => epochX(epochs, 600));
  const losses = Array.from({ length: 1_000_000 }, (_, i) => 0.01 + (i % 1000) / 100);
  assert.doesNotThrow(() => positiveScale(losses, 30));
  // One stage read by 150,000 others (a big sweep's data stage), drawn from its graph param.
  const inputs = Array.from({ length: 150_000 }, (_, i) => `s${i}`);
  const nodes = [
    ...inputs.map((id) => ({ id, kind: "t", inputs: [] })),
    { id: "report", kind: "r", inputs },
  ];
  assert.match(stageGraphSvg({ nodes }, "big"), /<svg/);
});
