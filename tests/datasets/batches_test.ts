import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { batchCount, batches, type BatchOptions, type ImageSet } from "../../tasks/datasets/mod.ts";

await tf.setBackend("cpu");

/** 10 images of 3×4×1; pixel = 10·n + position, label = n. */
const GRAY: ImageSet = {
  images: Uint8Array.from({ length: 10 * 12 }, (_, i) => 10 * Math.floor(i / 12) + (i % 12)),
  labels: Int32Array.from({ length: 10 }, (_, i) => i),
  count: 10,
  shape: [3, 4, 1],
};
const ALL = Int32Array.from({ length: 10 }, (_, i) => i);
const PLAIN: BatchOptions = {
  batchSize: 4,
  shuffle: false,
  seed: 0,
  epoch: 0,
  preprocess: { scale: false, normalize: "none" },
};

/** Runs the generator, returning plain arrays and disposing every tensor. */
function collect(set: ImageSet, index: Int32Array, opts: BatchOptions) {
  const out: { x: number[]; shape: number[]; y: number[]; size: number }[] = [];
  for (const batch of batches(set, index, opts)) {
    out.push({
      x: [...batch.x.dataSync()],
      shape: batch.x.shape,
      y: [...batch.y.dataSync()],
      size: batch.size,
    });
    assert.equal(batch.y.dtype, "int32");
    assert.equal(batch.x.dtype, "float32");
    batch.x.dispose();
    batch.y.dispose();
  }
  return out;
}

Deno.test("batches() yields NHWC float32 images and int32 labels in index order, the last batch short", () => {
  const got = collect(GRAY, ALL, PLAIN);
  assert.equal(got.length, batchCount(10, 4));
  assert.deepEqual(got.map((b) => b.size), [4, 4, 2]);
  assert.deepEqual(got[2].shape, [2, 3, 4, 1]);
  assert.deepEqual(got[1].y, [4, 5, 6, 7]);
  assert.deepEqual(got[0].x.slice(12, 24), Array.from({ length: 12 }, (_, i) => 10 + i));
});

Deno.test("batches() scales to [0, 1] and normalizes with the train statistics", () => {
  const stats = { mean: [0.2], std: [0.5] };
  const [first] = collect(GRAY, Int32Array.from([3]), {
    ...PLAIN,
    preprocess: { scale: true, normalize: "train" },
    stats,
  });
  first.x.forEach((v, i) => assert.ok(Math.abs(v - ((30 + i) / 255 - 0.2) / 0.5) < 1e-6));
  const [raw] = collect(GRAY, Int32Array.from([3]), {
    ...PLAIN,
    preprocess: { scale: false, normalize: { mean: [0.2], std: [0.5] } },
  });
  raw.x.forEach((v, i) => assert.ok(Math.abs(v - (30 + i - 51) / 127.5) < 1e-5));
});

Deno.test("batches() shuffles by (seed, epoch) only, showing every image once per epoch", () => {
  const order = (seed: number, epoch: number) =>
    collect(GRAY, ALL, { ...PLAIN, shuffle: true, seed, epoch }).flatMap((b) => b.y);
  assert.deepEqual(order(1, 0), order(1, 0));
  assert.notDeepEqual(order(1, 0), order(1, 1));
  assert.notDeepEqual(order(1, 0), order(2, 0));
  assert.deepEqual([...order(1, 0)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("batches() resumed at startBatch yields exactly the rest of the epoch, augmentation included", () => {
  const opts: BatchOptions = {
    ...PLAIN,
    shuffle: true,
    seed: 5,
    epoch: 2,
    augment: { crop_padding: 1, flip: true },
  };
  const whole = collect(GRAY, ALL, opts);
  const resumed = collect(GRAY, ALL, { ...opts, startBatch: 1 });
  assert.deepEqual(resumed, whole.slice(1));
});

Deno.test("batches() flips left-right with a seeded coin and leaves the rest intact", () => {
  const opts: BatchOptions = { ...PLAIN, batchSize: 10, augment: { crop_padding: 0, flip: true } };
  const [batch] = collect(GRAY, ALL, opts);
  let flipped = 0;
  for (let n = 0; n < 10; n++) {
    const image = batch.x.slice(n * 12, (n + 1) * 12);
    const original = Array.from({ length: 12 }, (_, i) => 10 * n + i);
    const mirrored = original.map((_, i) => original[Math.floor(i / 4) * 4 + 3 - (i % 4)]);
    if (image.join() === mirrored.join()) flipped++;
    else assert.deepEqual(image, original);
  }
  assert.ok(flipped > 0 && flipped < 10, `${flipped} of 10 flipped`);
  assert.deepEqual(collect(GRAY, ALL, opts)[0].x, batch.x);
});

Deno.test("batches() crops a zero-padded image at a seeded offset within the padding", () => {
  const [batch] = collect(GRAY, ALL, {
    ...PLAIN,
    batchSize: 10,
    augment: { crop_padding: 2, flip: false },
  });
  const shifts = new Set<string>();
  for (let n = 0; n < 10; n++) {
    const image = batch.x.slice(n * 12, (n + 1) * 12);
    let match: string | null = null;
    for (let dy = -2; dy <= 2 && match === null; dy++) {
      for (let dx = -2; dx <= 2 && match === null; dx++) {
        const expected = image.map((_, i) => {
          const y = Math.floor(i / 4) + dy;
          const x = (i % 4) + dx;
          return y >= 0 && y < 3 && x >= 0 && x < 4 ? 10 * n + y * 4 + x : 0;
        });
        if (expected.join() === image.join()) match = `${dy},${dx}`;
      }
    }
    assert.ok(match !== null, `image ${n} is no shifted copy: ${image}`);
    shifts.add(match);
  }
  assert.ok(shifts.size > 1, "offsets vary");
});

Deno.test("batches() resizes bilinearly with half-pixel centres", () => {
  const set: ImageSet = {
    images: Uint8Array.from([0, 255]),
    labels: new Int32Array(1),
    count: 1,
    shape: [1, 2, 1],
  };
  const [batch] = collect(set, Int32Array.from([0]), {
    ...PLAIN,
    preprocess: { scale: false, normalize: "none", resize: [1, 4] },
  });
  assert.deepEqual(batch.shape, [1, 1, 4, 1]);
  assert.deepEqual(batch.x, [0, 63.75, 191.25, 255]);
});

Deno.test("batches() replicates gray into 3 channels and takes luminance from colour", () => {
  const [rgb] = collect(GRAY, Int32Array.from([1]), {
    ...PLAIN,
    preprocess: { scale: false, normalize: "none", channels: 3 },
  });
  assert.deepEqual(rgb.shape, [1, 3, 4, 3]);
  assert.deepEqual(rgb.x.slice(0, 6), [10, 10, 10, 11, 11, 11]);
  const colour: ImageSet = {
    images: Uint8Array.from([100, 200, 50]),
    labels: new Int32Array(1),
    count: 1,
    shape: [1, 1, 3],
  };
  const [gray] = collect(colour, Int32Array.from([0]), {
    ...PLAIN,
    preprocess: { scale: false, normalize: "none", channels: 1 },
  });
  assert.ok(Math.abs(gray.x[0] - (0.299 * 100 + 0.587 * 200 + 0.114 * 50)) < 1e-4);
});

Deno.test("batches() broadcasts one-channel statistics over replicated channels", () => {
  const [rgb] = collect(GRAY, Int32Array.from([1]), {
    ...PLAIN,
    preprocess: { scale: true, normalize: "train", channels: 3 },
    stats: { mean: [0.1], std: [0.2] },
  });
  const expected = (10 / 255 - 0.1) / 0.2;
  rgb.x.slice(0, 3).forEach((v) => assert.ok(Math.abs(v - expected) < 1e-6));
  assert.throws(
    () =>
      collect(GRAY, ALL, {
        ...PLAIN,
        preprocess: { scale: true, normalize: { mean: [0, 0], std: [1, 1] } },
      }),
    {
      message:
        "Cannot normalize 1-channel images with 2 means: give 1 value (current mean is [0, 0])",
    },
  );
});

Deno.test("batches() leaves no tensor behind once the caller disposes each batch", () => {
  const before = tf.memory().numTensors;
  collect(GRAY, ALL, {
    ...PLAIN,
    preprocess: { scale: true, normalize: "none", resize: [6, 8], channels: 3 },
  });
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("batches() explains a missing train statistic and an index out of range", () => {
  assert.throws(
    () => collect(GRAY, ALL, { ...PLAIN, preprocess: { scale: true, normalize: "train" } }),
    {
      message: "Cannot normalize with 'train' statistics: none were given; pass the split " +
        "artifact's stats (loadSplitArtifact(dir).stats) as BatchOptions.stats",
    },
  );
  assert.throws(() => collect(GRAY, Int32Array.from([10]), PLAIN), {
    message: "Cannot make batches: index 10 is outside the 10 images",
  });
});
