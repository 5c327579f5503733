import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCheckpoint } from "../../tasks/train/checkpoint.ts";

const child = new URL("./_resume_child.ts", import.meta.url).pathname;

function spawn(checkpoint: string, result: string, env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", child, checkpoint, result],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function readJson(path: string) {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test("a training killed with SIGKILL mid-epoch resumes and ends with the uninterrupted run's metrics", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-resume-" });
  try {
    const reference = spawn(join(dir, "ref.ckpt"), join(dir, "ref.json"));
    assert.equal((await reference.output()).code, 0);
    const ref = await readJson(join(dir, "ref.json"));
    assert.equal(ref.resumed, null);
    assert.equal(ref.status, "ok");
    assert.equal(ref.history.length, 4);

    const ckpt = join(dir, "run.ckpt");
    const killed = spawn(ckpt, join(dir, "run.json"), { PAUSE_AT: "3:3" });
    const reader = killed.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("paused")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    assert.match(out, /paused/);
    killed.kill("SIGKILL");
    const status = await killed.status;
    assert.equal(status.signal, "SIGKILL");
    await reader.cancel();
    await killed.stderr.cancel();
    const saved = await loadCheckpoint(ckpt);
    assert.equal((saved!.meta as { epoch: number }).epoch, 2);

    const resumed = spawn(ckpt, join(dir, "run.json"));
    assert.equal((await resumed.output()).code, 0);
    const res = await readJson(join(dir, "run.json"));
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
