import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends, ensureNative, randomArray } from "./_compare.ts";
import { NativeBackend } from "../../../tasks/backends/native/mod.ts";
import { openNativeLibrary } from "../../../tasks/backends/native/_library.ts";

Deno.test("slice and pad match the cpu backend, including as each other's gradients", async () => {
  const slices: [number[], number[], number[]][] = [
    [[4, 34, 34, 8], [0, 3, 3, 0], [4, 28, 28, 8]],
    [[3, 5, 7], [1, 0, 2], [2, 5, 3]],
    [[10], [4], [-1]],
    [[2, 3, 4, 5], [0, 0, 0, 4], [2, 3, 4, 1]],
  ];
  for (const [i, [shape, begin, size]] of slices.entries()) {
    const err = await compareBackends([{ shape, seed: i + 1 }], (x) => tf.slice(x, begin, size));
    assert.equal(err, 0, `slice [${shape}] at [${begin}] size [${size}]`);
  }
  const pads: [number[], [number, number][], number][] = [
    [[4, 28, 28, 1], [[0, 0], [3, 3], [3, 3], [0, 0]], 0],
    [[3, 5, 7], [[1, 2], [0, 0], [2, 1]], 0.5],
    [[2, 7, 7, 6], [[0, 0], [0, 0], [0, 0], [5, 5]], 0],
    // Unpadded trailing dims are merged into the padded one before them.
    [[2, 6, 5, 3], [[0, 0], [1, 2], [3, 1], [0, 0]], -1.5],
    [[2, 3, 4, 5], [[0, 0], [2, 1], [0, 0], [0, 0]], 0],
    [[2, 3, 4, 5], [[1, 2], [0, 0], [0, 0], [0, 0]], 2],
    [[4, 5], [[0, 0], [0, 0]], 0],
  ];
  for (const [i, [shape, paddings, value]] of pads.entries()) {
    const err = await compareBackends(
      [{ shape, seed: i + 10 }],
      (
        x,
      ) => [
        tf.pad(x, paddings, value),
        tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.pad(a, paddings))))(x),
      ],
    );
    assert.equal(err, 0, `pad [${shape}] by ${JSON.stringify(paddings)}`);
  }
});

Deno.test("values read with dataSync() stay intact after their tensor's buffer is disposed", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const a = tf.tensor(randomArray(100_000, 1), [100_000]);
  const t = tf.mul(a, 2);
  const read = t.dataSync();
  const copy = Float32Array.from(read);
  t.dispose();
  for (let i = 0; i < 5; i++) tf.mul(a, 3 + i).dispose();
  assert.deepEqual(read, copy);
  a.dispose();
});

Deno.test("disposed kernel outputs are reused instead of allocated again", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const backend = tf.backend() as NativeBackend;
  const a = tf.tensor(randomArray(50_000, 2), [50_000]);
  const first = tf.add(a, a);
  const before = backend.pooledBytes();
  first.dispose();
  assert.equal(backend.pooledBytes(), before + 200_000);
  const second = tf.add(a, 1);
  assert.equal(backend.pooledBytes(), before);
  assert.equal(second.dataSync()[0], Math.fround(randomArray(1, 2)[0] + 1));
  // A tensor the user created from their own array never enters the pool.
  a.dispose();
  assert.equal(backend.pooledBytes(), before);
  second.dispose();
});

Deno.test("a cpu kernel's view of a pooled buffer keeps that buffer out of the pool", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const backend = tf.backend() as NativeBackend;
  const x = tf.add(tf.tensor(randomArray(20_000, 3), [2, 10_000]), 0);
  const row = tf.unstack(x)[1]; // the cpu Unpack kernel slices rows as subarray views
  const expected = Float32Array.from(row.dataSync());
  const pooled = backend.pooledBytes();
  x.dispose();
  assert.equal(backend.pooledBytes(), pooled);
  for (let i = 0; i < 3; i++) tf.mul(tf.ones([2, 10_000]), i).dispose();
  assert.deepEqual(row.dataSync(), expected);
  row.dispose();
});

Deno.test("a pooled output read through Reshape, Identity or Cast returns to the pool after its last reference", async () => {
  await ensureNative();
  await tf.setBackend("native");
  const backend = tf.backend() as NativeBackend;
  const a = tf.tensor(randomArray(30_000, 4), [30_000]);
  const expected = tf.tensor(
    randomArray(30_000, 4).map((v) => Math.fround(Math.fround(v + 1) * 2)),
  );
  const views = [
    (t: tf.Tensor) => tf.reshape(t, [100, 300]),
    tf.clone,
    (t: tf.Tensor) => tf.cast(t, "float32"),
  ];
  for (const view of views) {
    const x = tf.add(a, 1);
    const y = tf.mul(x, 2);
    const same = view(y);
    x.dispose();
    const pooled = backend.pooledBytes();
    y.dispose();
    // The other reference still reads these values: nothing enters the pool yet, and work that
    // takes buffers of this length from the pool leaves them alone.
    assert.equal(backend.pooledBytes(), pooled);
    for (let i = 0; i < 3; i++) tf.mul(a, 5 + i).dispose();
    // Compared without reading `same` out (a read lets its memory out for good).
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.reshape(same, [30_000]), expected))));
    assert.equal(diff.dataSync()[0], 0);
    diff.dispose();
    const before = backend.pooledBytes();
    same.dispose();
    assert.equal(backend.pooledBytes(), before + 120_000, "back in the pool after the last one");
  }
  tf.dispose([a, expected]);
});

Deno.test("the pool grows to the most bytes alive at once and evicts the lengths asked for least recently", () => {
  const opened = openNativeLibrary();
  assert.ok(opened.ok);
  if (!opened.ok) return;
  const backend = new NativeBackend(opened.library, { poolBytes: 64 * 1024 });
  const make = (n: number) => {
    const values = backend.allocFloat32(n);
    return { values, id: backend.makeTensorInfo([n], "float32", values).dataId };
  };
  try {
    const a = [make(20_000), make(20_000), make(20_000)]; // 240,000 bytes alive, limit 65,536
    assert.equal(backend.memoryStats().highWater, 240_000);
    a.forEach((t) => backend.disposeData(t.id));
    assert.equal(backend.pooledBytes(), 240_000, "all three kept: the working set fits");
    const again = make(20_000);
    assert.ok(a.some((t) => t.values === again.values), "a pooled buffer is reused");
    backend.disposeData(again.id);
    const b = [make(25_000)]; // a miss: 100,000 bytes alive
    assert.equal(backend.pooledBytes(), 80_000, "alive + pooled stays within 240,000 bytes");
    b.push(make(25_000), make(25_000)); // 300,000 bytes alive
    b.forEach((t) => backend.disposeData(t.id));
    assert.equal(backend.pooledBytes(), 300_000, "the 20,000-float buffers made room");
    const fresh = make(20_000);
    assert.ok(!a.some((t) => t.values === fresh.values), "none of them is left");
    const kept = make(25_000); // from the pool, which keeps another 25,000-float buffer
    const { live, pooled } = backend.memoryStats();
    assert.ok(pooled >= 100_000, `${pooled} bytes pooled`);
    assert.equal(backend.trimPool(), pooled, "trimPool() returns what it released");
    assert.deepEqual(backend.memoryStats(), { live, highWater: live, pooled: 0 });
    backend.disposeData(kept.id);
    const off = new NativeBackend(opened.library, { poolBytes: 0 });
    const t = off.allocFloat32(20_000);
    off.disposeData(off.makeTensorInfo([20_000], "float32", t).dataId);
    assert.equal(off.pooledBytes(), 0);
  } finally {
    opened.library.close();
  }
});
