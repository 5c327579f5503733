import assert from "node:assert/strict";
import { splitDataset } from "../../tasks/datasets/mod.ts";

/** 1,000 labels over 7 classes of unequal sizes. */
const LABELS = Int32Array.from({ length: 1000 }, (_, i) => (i * i + 3 * i) % 7);

function classCounts(index: Int32Array): number[] {
  const counts = new Array(7).fill(0);
  for (const i of index) counts[LABELS[i]]++;
  return counts;
}

Deno.test("splitDataset() gives the same split for the same seed", () => {
  const a = splitDataset(LABELS, { seed: 3 });
  const b = splitDataset(LABELS, { seed: 3 });
  assert.deepEqual(a.trainIndex, b.trainIndex);
  assert.deepEqual(a.valIndex, b.valIndex);
});

Deno.test("splitDataset() gives a different split for a different seed", () => {
  const a = splitDataset(LABELS, { seed: 3 });
  const b = splitDataset(LABELS, { seed: 4 });
  assert.equal(a.valIndex.length, b.valIndex.length);
  const shared = a.valIndex.filter((i) => b.valIndex.includes(i)).length;
  assert.ok(shared < 100, `${shared} of 200 validation images in common`); // ~40 expected by chance
});

Deno.test("splitDataset() holds out the validation share and covers every image once", () => {
  const { trainIndex, valIndex } = splitDataset(LABELS, { validation: 0.2 });
  assert.equal(valIndex.length, 200);
  assert.equal(trainIndex.length, 800);
  const all = [...trainIndex, ...valIndex].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(trainIndex.every((v, i) => i === 0 || trainIndex[i - 1] < v), "sorted");
});

Deno.test("splitDataset() keeps class ratios within one image when stratified", () => {
  const total = classCounts(Int32Array.from({ length: 1000 }, (_, i) => i));
  for (const seed of [0, 1, 2]) {
    for (const validation of [0.1, 0.2, 0.33]) {
      const { trainIndex, valIndex } = splitDataset(LABELS, { validation, stratified: true, seed });
      classCounts(valIndex).forEach((v, c) => {
        assert.ok(
          Math.abs(v - validation * total[c]) < 1,
          `class ${c}: ${v} vs ${validation * total[c]}`,
        );
      });
      assert.equal(valIndex.length, Math.round(validation * 1000));
      assert.equal(trainIndex.length + valIndex.length, 1000);
    }
  }
});

Deno.test("splitDataset() draws the limit before the validation split, stratified per class", () => {
  const { trainIndex, valIndex } = splitDataset(LABELS, {
    limit: 100,
    validation: 0.2,
    stratified: true,
  });
  assert.equal(trainIndex.length, 80);
  assert.equal(valIndex.length, 20);
  const total = classCounts(Int32Array.from({ length: 1000 }, (_, i) => i));
  classCounts(new Int32Array([...trainIndex, ...valIndex])).forEach((n, c) => {
    assert.ok(Math.abs(n - total[c] / 10) < 1, `class ${c}: ${n} of ${total[c]}`);
  });
});

Deno.test("splitDataset() takes a fraction, and the smaller of fraction and limit", () => {
  assert.equal(splitDataset(LABELS, { fraction: 0.1, validation: 0 }).trainIndex.length, 100);
  assert.equal(
    splitDataset(LABELS, { fraction: 0.1, limit: 50, validation: 0 }).trainIndex.length,
    50,
  );
  assert.equal(splitDataset(LABELS, { fraction: 0.5, limit: 900 }).valIndex.length, 100);
});

Deno.test("splitDataset() refuses options that leave no training image", () => {
  assert.throws(() => splitDataset(LABELS, { limit: 1, validation: 0.5 }), {
    message: "Cannot split 1000 training images as the options leave none for training: " +
      "current values are limit=1, fraction=undefined, validation=0.5",
  });
});
