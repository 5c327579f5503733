import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type Checkpoint,
  CheckpointDamaged,
  loadCheckpoint,
  loadLatestCheckpoint,
  previousCheckpointPath,
  saveCheckpoint,
} from "../../tasks/train/checkpoint.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-ckpt-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const sample = (epoch: number): Checkpoint => ({
  meta: { epoch, note: "ü" },
  tensors: [
    {
      name: "model/0/conv/kernel",
      shape: [2, 3],
      values: Float32Array.from([1, -2, 3.5, 1e-30, NaN, epoch]),
    },
    { name: "opt/m/0", shape: [1], values: Float32Array.from([0.25]) },
    { name: "empty", shape: [0], values: new Float32Array(0) },
  ],
});

Deno.test("saveCheckpoint() and loadCheckpoint() round-trip meta and tensors exactly, keeping the previous file", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "c.ckpt");
    await saveCheckpoint(path, sample(1));
    assert.deepEqual(await loadCheckpoint(path), sample(1));
    await saveCheckpoint(path, sample(2));
    assert.deepEqual(await loadCheckpoint(path), sample(2));
    assert.deepEqual(await loadCheckpoint(previousCheckpointPath(path)), sample(1));
    // No temporary file is left behind.
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
    assert.deepEqual(names, ["c.ckpt", "c.ckpt.prev"]);
  });
});

Deno.test("loadCheckpoint() returns null when there is no checkpoint", async () => {
  assert.equal(await loadCheckpoint("/nonexistent/dir/c.ckpt"), null);
});

/** Ways a checkpoint file gets damaged: name, change to the bytes, reason reported. */
const DAMAGE: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
  ["truncated by one byte", (b) => b.subarray(0, b.length - 1), /does not match its checksum/],
  ["truncated to half", (b) => b.subarray(0, b.length >> 1), /does not match its checksum/],
  ["truncated to 10 bytes", (b) => b.subarray(0, 10), /truncated at 10 bytes/],
  ["emptied", () => new Uint8Array(0), /not a checkpoint/],
  ["a flipped bit in the header", (b) => flip(b, 20), /does not match its checksum/],
  [
    "a flipped bit in the tensor data",
    (b) => flip(b, b.length - 40),
    /does not match its checksum/,
  ],
  ["a flipped bit in the checksum", (b) => flip(b, b.length - 1), /does not match its checksum/],
  [
    "a foreign file",
    () => new TextEncoder().encode("hello world, not a checkpoint"),
    /not a checkpoint/,
  ],
  [
    "the older format without a checksum",
    (b) => Uint8Array.from([...new TextEncoder().encode("CNNLABCK"), ...b.subarray(8)]),
    /an older format without a checksum/,
  ],
];

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] ^= 0x10;
  return copy;
}

for (const [what, damage, reason] of DAMAGE) {
  Deno.test(`loadCheckpoint() rejects a checkpoint with ${what}`, async () => {
    await withDir(async (dir) => {
      const path = join(dir, "c.ckpt");
      await saveCheckpoint(path, sample(1));
      await Deno.writeFile(path, damage(await Deno.readFile(path)));
      await assert.rejects(() => loadCheckpoint(path), (error: unknown) => {
        assert.ok(error instanceof CheckpointDamaged);
        assert.match(error.reason, reason);
        return true;
      });
    });
  });
}

Deno.test("loadLatestCheckpoint() falls back to the previous checkpoint, warning and deleting the damaged one", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "c.ckpt");
    await saveCheckpoint(path, sample(1));
    await saveCheckpoint(path, sample(2));
    await Deno.writeFile(path, flip(await Deno.readFile(path), 30));
    const warnings: string[] = [];
    const loaded = await loadLatestCheckpoint(path, () => {}, (w) => warnings.push(w));
    assert.deepEqual(loaded, { checkpoint: sample(1), path: previousCheckpointPath(path) });
    assert.deepEqual(warnings, [
      `Discarded the checkpoint ${path}: its content does not match its checksum (truncated or damaged)`,
    ]);
    await assert.rejects(() => Deno.stat(path), Deno.errors.NotFound);
  });
});

Deno.test("loadLatestCheckpoint() falls back when the newest does not fit, and starts over when none is usable", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "c.ckpt");
    await saveCheckpoint(path, sample(1));
    await saveCheckpoint(path, sample(2));
    const warnings: string[] = [];
    const refuseEpoch2 = (c: Checkpoint) => {
      if ((c.meta as { epoch: number }).epoch === 2) {
        throw new Error("it holds 3 weights, the model has 4");
      }
    };
    const loaded = await loadLatestCheckpoint(path, refuseEpoch2, (w) => warnings.push(w));
    assert.equal(loaded?.path, previousCheckpointPath(path));
    assert.deepEqual(warnings, [
      `Discarded the checkpoint ${path}: it holds 3 weights, the model has 4`,
    ]);

    await Deno.writeFile(previousCheckpointPath(path), new Uint8Array(3));
    warnings.length = 0;
    assert.equal(await loadLatestCheckpoint(path, () => {}, (w) => warnings.push(w)), null);
    assert.deepEqual(warnings, [
      `Discarded the checkpoint ${previousCheckpointPath(path)}: not a checkpoint`,
    ]);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  });
});
