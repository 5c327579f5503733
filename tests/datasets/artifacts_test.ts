import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type DatasetMeta,
  loadDataArtifact,
  loadSplitArtifact,
  type SplitSummary,
  writeDataArtifact,
  writeSplitArtifact,
} from "../../tasks/datasets/mod.ts";

const META: DatasetMeta = {
  dataset: "mnist",
  shape: [2, 2, 1],
  counts: { train: 3, test: 1 },
  classNames: ["a", "b"],
  sha256: {},
  files: [],
  classCounts: { train: [2, 1], test: [1, 0] },
};

function set(count: number, labels: number[]) {
  return {
    images: Uint8Array.from({ length: count * 4 }, (_, i) => i),
    labels: Int32Array.from(labels),
    count,
    shape: [2, 2, 1] as [number, number, number],
  };
}

Deno.test("writeDataArtifact() and loadDataArtifact() round-trip images, labels and meta", async () => {
  const dir = await Deno.makeTempDir();
  await writeDataArtifact(dir, { train: set(3, [0, 1, 0]), test: set(1, [0]), meta: META });
  const back = await loadDataArtifact(dir);
  assert.deepEqual(back.meta, META);
  assert.deepEqual(back.train, set(3, [0, 1, 0]));
  assert.deepEqual(back.test, set(1, [0]));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadDataArtifact() reports files whose size disagrees with meta.json", async () => {
  const dir = await Deno.makeTempDir();
  await writeDataArtifact(dir, { train: set(3, [0, 1, 0]), test: set(1, [0]), meta: META });
  await Deno.writeFile(join(dir, "train-images.u8"), new Uint8Array(5));
  await assert.rejects(() => loadDataArtifact(dir), {
    message: `Cannot load the data artifact in ${dir}: meta.json promises 3 images of 2×2×1, ` +
      "but train-images.u8 has 5 bytes and train-labels.u8 3; the artifact is damaged, delete it to rebuild",
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("writeSplitArtifact() and loadSplitArtifact() round-trip indices and stats; damage is reported", async () => {
  const dir = await Deno.makeTempDir();
  const summary: SplitSummary = {
    seed: 1,
    validation: 0.5,
    stratified: false,
    limit: null,
    fraction: null,
    counts: { train: 2, validation: 2, test: 1 },
    per_class: { train: [1, 1], validation: [2, 0] },
    mean: [0.25],
    std: [0.5],
  };
  await writeSplitArtifact(dir, {
    trainIndex: Int32Array.from([1, 70000]),
    valIndex: Int32Array.from([0, 2]),
    summary,
  });
  const back = await loadSplitArtifact(dir);
  assert.deepEqual([...back.trainIndex], [1, 70000]);
  assert.deepEqual([...back.valIndex], [0, 2]);
  assert.deepEqual(back.stats, { mean: [0.25], std: [0.5] });
  assert.deepEqual(
    await Deno.readFile(join(dir, "train-index.i32")),
    Uint8Array.from([1, 0, 0, 0, 0x70, 0x11, 1, 0]),
  );
  await Deno.writeFile(join(dir, "val-index.i32"), new Uint8Array(4));
  await assert.rejects(() => loadSplitArtifact(dir), {
    message:
      `Cannot load the split artifact in ${dir}: split.json counts 2/2 but the index files ` +
      "hold 2/1; the artifact is damaged, delete it to rebuild",
  });
  await Deno.remove(dir, { recursive: true });
});
