import assert from "node:assert/strict";
import type { StoredModelSummary as ModelSummary } from "../../tasks/artifacts/model_summary.ts";
import { summaryRows } from "../../tasks/report/summary_rows.ts";

function summary(names: string[]): ModelSummary {
  return {
    rows: names.map((name, i) => ({
      name,
      type: i % 2 ? "Conv2D" : "BatchNormalization",
      outputShape: [1, 8, 8, i],
      params: 10 * (i + 1),
      multAdds: 100 * (i + 1),
    })),
    totalParams: 0,
    trainableParams: 0,
  };
}

const dense = [
  "stem.conv",
  "stem.bn",
  "block1.layer1.conv1",
  "block1.layer1.conv2",
  "block1.layer2.conv1",
  "block1.layer2.conv2",
  "trans1.conv",
  "block2.layer1.conv1",
  "block2.layer1.conv2",
  "head.fc",
];

Deno.test("summaryRows() keeps every layer when they fit", () => {
  const folded = summaryRows(summary(dense), 10);
  assert.equal(folded.depth, null);
  assert.equal(folded.rows.length, 10);
});

Deno.test("summaryRows() folds by the deepest name prefix that fits, summing params and mult-adds", () => {
  const two = summaryRows(summary(dense), 8);
  assert.equal(two.depth, 2);
  assert.deepEqual(two.rows.map((r) => [r.name, r.type, r.params]), [
    ["stem.conv", "BatchNormalization", 10],
    ["stem.bn", "Conv2D", 20],
    ["block1.layer1", "2 layers", 30 + 40],
    ["block1.layer2", "2 layers", 50 + 60],
    ["trans1.conv", "BatchNormalization", 70],
    ["block2.layer1", "2 layers", 80 + 90],
    ["head.fc", "Conv2D", 100],
  ]);
  const one = summaryRows(summary(dense), 6);
  assert.equal(one.depth, 1);
  assert.deepEqual(one.rows.map((r) => [r.name, r.type, r.params, r.multAdds]), [
    ["stem", "2 layers", 30, 300],
    ["block1", "4 layers", 180, 1800],
    ["trans1", "BatchNormalization", 70, 700],
    ["block2", "2 layers", 170, 1700],
    ["head", "Conv2D", 100, 1000],
  ]);
  assert.deepEqual(one.rows[1].outputShape, [1, 8, 8, 5], "a block shows its last layer's shape");
});

Deno.test("summaryRows() stops at depth 1 even when that is still too long", () => {
  const flat = summary(["a", "b", "c", "d", "e", "f"]);
  const folded = summaryRows(flat, 5);
  assert.equal(folded.depth, 1);
  assert.equal(folded.rows.length, 6);
});
