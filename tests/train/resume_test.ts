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

/** Flips one bit at `at` (negative: from the end). */
async function flipBit(path: string, at: number): Promise<void> {
  const bytes = await Deno.readFile(path);
  bytes[at < 0 ? bytes.length + at : at] ^= 0x04;
  await Deno.writeFile(path, bytes);
}

/** Runs the child once, killing it after batch 3 of epoch 3 (checkpoints after epochs 1 and 2). */
async function killAfterTwoEpochs(dir: string): Promise<string> {
  const ckpt = join(dir, "run.ckpt");
  const killed = spawn(ckpt, join(dir, "run.json"), { PAUSE_AT: "3:3" });
  const reader = killed.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("paused")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  killed.kill("SIGKILL");
  await killed.status;
  await reader.cancel();
  await killed.stderr.cancel();
  return ckpt;
}

/** The reference (uninterrupted) run's result. */
async function reference(dir: string) {
  const child = spawn(join(dir, "ref.ckpt"), join(dir, "ref.json"));
  assert.equal((await child.output()).code, 0);
  return await readJson(join(dir, "ref.json"));
}

// Damage to the newest checkpoint (after epoch 2): the run goes back to the one after epoch 1.
const DAMAGED: [string, (ckpt: string) => Promise<void>, number | null, RegExp[]][] = [
  ["a bit-flipped tensor", (c) => flipBit(c, -100), 1, [
    /run\.ckpt: its content does not match its checksum/,
  ]],
  ["a bit-flipped header", (c) => flipBit(c, 30), 1, [
    /run\.ckpt: its content does not match its checksum/,
  ]],
  [
    "a truncated file",
    async (c) => {
      const bytes = await Deno.readFile(c);
      await Deno.writeFile(c, bytes.subarray(0, bytes.length - 7));
    },
    1,
    [/run\.ckpt: its content does not match its checksum/],
  ],
  [
    "both it and the previous one damaged",
    async (c) => {
      await flipBit(c, -100);
      await Deno.writeFile(`${c}.prev`, new Uint8Array(0));
    },
    null,
    [/run\.ckpt: its content/, /run\.ckpt\.prev: not a checkpoint/],
  ],
];

for (const [what, damage, resumedFrom, warnings] of DAMAGED) {
  Deno.test(`a checkpoint with ${what} is discarded with a warning and the run ends with the uninterrupted run's numbers`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "cnnlab-resume-" });
    try {
      const ref = await reference(dir);
      const ckpt = await killAfterTwoEpochs(dir);
      assert.equal(((await loadCheckpoint(ckpt))!.meta as { epoch: number }).epoch, 2);
      await damage(ckpt);
      const resumed = spawn(ckpt, join(dir, "run.json"));
      const { code, stderr } = await resumed.output();
      const log = new TextDecoder().decode(stderr);
      assert.equal(code, 0, log);
      for (const warning of warnings) assert.match(log, warning);
      const res = await readJson(join(dir, "run.json"));
      assert.equal(res.resumed, resumedFrom);
      assert.deepEqual(res.history, ref.history);
      assert.deepEqual(res.weights, ref.weights);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("Ctrl-C stops training between batches, keeps a checkpoint there, and the resumed run ends with the uninterrupted run's numbers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-resume-" });
  try {
    // 1,600 images: 100 batches per epoch, long enough that an epoch-end stop is told apart.
    const env = { TRAIN_COUNT: "1600" };
    const ref = spawn(join(dir, "ref.ckpt"), join(dir, "ref.json"), env);
    assert.equal((await ref.output()).code, 0);
    const expected = await readJson(join(dir, "ref.json"));

    const ckpt = join(dir, "run.ckpt");
    const child = spawn(ckpt, join(dir, "run.json"), {
      ...env,
      STOP_ON_SIGINT: "1",
      ANNOUNCE_AT: "2:20",
    });
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("at 2:20")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    child.kill("SIGINT");
    while (!out.includes("stopped after")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 130);
    const ms = Number(out.match(/stopped after (\d+) ms/)![1]);
    assert.ok(ms < 1000, `took ${ms} ms to stop`);
    const saved = (await loadCheckpoint(ckpt))!.meta as {
      epoch: number;
      partial: { epoch: number; batch: number } | null;
    };
    assert.equal(saved.epoch, 1);
    assert.equal(saved.partial?.epoch, 1, "stopped inside epoch 2, not at its end");
    assert.ok(saved.partial!.batch >= 20 && saved.partial!.batch < 100, JSON.stringify(saved));

    const resumed = spawn(ckpt, join(dir, "run.json"), env);
    assert.equal((await resumed.output()).code, 0);
    const res = await readJson(join(dir, "run.json"));
    assert.equal(res.resumed, 1);
    assert.deepEqual(res.history, expected.history);
    assert.deepEqual(res.weights, expected.weights);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
