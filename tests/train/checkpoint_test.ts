import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCheckpoint, saveCheckpoint } from "../../tasks/train/checkpoint.ts";

Deno.test("saveCheckpoint() and loadCheckpoint() round-trip meta and tensors exactly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "c.ckpt");
    const tensors = [
      {
        name: "model/0/conv/kernel",
        shape: [2, 3],
        values: Float32Array.from([1, -2, 3.5, 1e-30, NaN, 7]),
      },
      { name: "opt/m/0", shape: [1], values: Float32Array.from([0.25]) },
      { name: "empty", shape: [0], values: new Float32Array(0) },
    ];
    // A header length that needs padding to reach 4-byte alignment.
    await saveCheckpoint(path, { meta: { epoch: 3, note: "ü" }, tensors });
    const back = await loadCheckpoint(path);
    assert.deepEqual(back, { meta: { epoch: 3, note: "ü" }, tensors });
    // No temporary file is left behind.
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["c.ckpt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadCheckpoint() returns null when there is no checkpoint", async () => {
  assert.equal(await loadCheckpoint("/nonexistent/dir/c.ckpt"), null);
});

Deno.test("loadCheckpoint() rejects a truncated file and a foreign file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "c.ckpt");
    await saveCheckpoint(path, {
      meta: null,
      tensors: [{ name: "a", shape: [4], values: new Float32Array(4) }],
    });
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, bytes.length - 3));
    await assert.rejects(() => loadCheckpoint(path), {
      message: `Cannot read checkpoint ${path}: expected ${bytes.length} bytes, found ${
        bytes.length - 3
      }; delete it to start the training over`,
    });
    await Deno.writeTextFile(path, "hello world, not a checkpoint");
    await assert.rejects(() => loadCheckpoint(path), {
      message:
        `Cannot read checkpoint ${path}: not a checkpoint; delete it to start the training over`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
