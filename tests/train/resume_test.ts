import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCheckpoint } from "../../tasks/train/checkpoint.ts";

const child = new URL("./_resume_child.ts", import.meta.url).pathname;
// Explicit, so the child resolves the npm imports wherever the tests are started from.
const config = new URL("../../deno.json", import.meta.url).pathname;

function spawn(checkpoint: string, result: string, env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config, child, checkpoint, result],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function readJson(path: string) {
  return JSON.parse(await Deno.readTextFile(path));
}

/** Runs the child to completion, then again killed at `pauseAt` and resumed; returns both results. */
async function killAndResume(dir: string, env: Record<string, string>) {
  const reference = spawn(join(dir, "ref.ckpt"), join(dir, "ref.json"), env);
  assert.equal((await reference.output()).code, 0);
  const ref = await readJson(join(dir, "ref.json"));
  assert.equal(ref.resumed, null);
  assert.equal(ref.status, "ok");
  assert.equal(ref.history.length, 4);

  const ckpt = join(dir, "run.ckpt");
  const killed = spawn(ckpt, join(dir, "run.json"), { ...env, PAUSE_AT: "3:3" });
  const reader = killed.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("paused")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  assert.match(out, /paused/);
  killed.kill("SIGKILL");
  assert.equal((await killed.status).signal, "SIGKILL");
  await reader.cancel();
  await killed.stderr.cancel();
  const saved = (await loadCheckpoint(ckpt))!.meta as { epoch: number; partial: unknown };

  const resumed = spawn(ckpt, join(dir, "run.json"), env);
  assert.equal((await resumed.output()).code, 0);
  return { ref, res: await readJson(join(dir, "run.json")), saved };
}

Deno.test("a training killed with SIGKILL mid-epoch resumes and ends with the uninterrupted run's metrics", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-resume-" });
  try {
    const { ref, res, saved } = await killAndResume(dir, {});
    assert.equal(saved.epoch, 2);
    assert.equal(saved.partial, null);
    assert.equal(res.resumed, 2);
    assert.equal(res.status, "ok");
    assert.deepEqual(res.history, ref.history);
    assert.deepEqual(res.weights, ref.weights);
    // The plateau schedule (patience 0) must have carried its state across the kill.
    assert.ok(ref.history.some((h: { lr: number }) => h.lr < 0.02), JSON.stringify(ref.history));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a mid-epoch checkpoint resumes from the batch it stopped at, with the same final metrics", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-resume-" });
  try {
    // CHECKPOINT_SECONDS=0: a checkpoint after every batch, so the kill at 3:3 leaves one there.
    const { ref, res, saved } = await killAndResume(dir, { CHECKPOINT_SECONDS: "0" });
    assert.equal(saved.epoch, 2);
    // Paused inside batch 3's progress report: batch 3 is applied in memory but its checkpoint
    // was not written yet, so the file holds the state after batch 2 and the resume redoes 3.
    const partial = saved.partial as { epoch: number; batch: number };
    assert.deepEqual([partial.epoch, partial.batch], [2, 2]);
    assert.equal(res.resumed, 2);
    assert.deepEqual(res.history, ref.history);
    assert.deepEqual(res.weights, ref.weights);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
