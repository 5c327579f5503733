import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { newLockRecord } from "../../pipelines/cache/lock_record.ts";
import { processStartTime } from "../../pipelines/cache/process_identity.ts";
import { startCli } from "./_cli_process.ts";
import { createSandbox, planWithFingerprints } from "./_sandbox.ts";

/** One run whose train stage checkpoints every 300 ms for 20 epochs (6 s). */
const SLOW = `defaults:
  model: { name: tiny }
experiments:
  slow: { train: { lr: 0.1, epochs: 20, sleep_ms: 300 } }
`;

function trainModel(cache: string): { resumedFrom: number; history: number[] } {
  for (const entry of Deno.readDirSync(join(cache, "entries"))) {
    try {
      return JSON.parse(
        Deno.readTextFileSync(join(cache, "entries", entry.name, "out", "model.json")),
      );
    } catch { /* another stage's entry */ }
  }
  throw new Error("no train entry");
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  for (const isolate of [false, true]) {
    const where = isolate ? "in its own process" : "in the pipeline's process";
    Deno.test(`${signal} stops a stage running ${where} promptly: summary, exit ${code}, and the rerun resumes`, async () => {
      await using box = await createSandbox();
      const config = box.write("slow.yaml", SLOW);
      const env: Record<string, string> = isolate ? { FAKE_ISOLATE: "1" } : {};
      const cli = startCli(box, ["run", config], env);
      await cli.waitFor(/train:slow\] running:/);
      await new Promise((r) => setTimeout(r, 700)); // a few epochs in
      const sent = performance.now();
      cli.process.kill(signal);
      const { code: exit, output } = await cli.finished();
      const ms = performance.now() - sent;
      assert.equal(exit, code, output);
      assert.ok(ms < 3000, `took ${ms} ms to stop`);
      assert.match(output, /train:slow\s+interrupted/);
      assert.match(output, /evaluate:slow\s+skipped/);
      assert.match(output, /0 failed, 2 skipped.*, 1 interrupted in/);
      assert.match(output, /Interrupted: stopped stages keep their checkpoints/);
      assert.ok(!/\n\s+at /.test(output), "no stack trace");

      const rerun = await box.run(["run", config]);
      assert.equal(rerun.code, 0);
      assert.equal(rerun.outcomes["train:slow"], "run");
      const model = trainModel(box.cache);
      assert.ok(model.resumedFrom >= 1, "resumed from the checkpoint the stop kept");
      assert.equal(model.history.length, 20, "the resumed run has the whole history");
    });
  }
}

Deno.test("a second Ctrl-C exits at once with 130", async () => {
  await using box = await createSandbox();
  // Each epoch sleeps 5 s: the first Ctrl-C is only acted on after it.
  const config = box.write("slow.yaml", SLOW.replace("sleep_ms: 300", "sleep_ms: 5000"));
  // The second Ctrl-C must land while the first is still being acted on; on a loaded machine the
  // pipeline may already have ended (a stage process that got the first SIGINT before its
  // handler was installed ends at once): then the case is tried again.
  for (let attempt = 1;; attempt++) {
    const cli = startCli(box, ["run", config]);
    await cli.waitFor(/train:slow\] running:/);
    cli.process.kill("SIGINT");
    await cli.waitFor("Ctrl-C: stopping the running stages");
    const sent = performance.now();
    try {
      cli.process.kill("SIGINT");
    } catch (error) {
      await cli.finished();
      if (attempt < 3 && /already terminated/.test(String(error))) continue;
      throw error;
    }
    const { code } = await cli.finished();
    assert.equal(code, 130);
    assert.ok(performance.now() - sent < 2000);
    return;
  }
});

Deno.test("waiting for a lock held by a live process says who holds it and stops on Ctrl-C", async () => {
  await using box = await createSandbox();
  const config = box.write("slow.yaml", SLOW);
  const { fingerprint } = await planWithFingerprints(box, config);
  const holder = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const layout = cacheLayout(box.cache);
    await Deno.mkdir(layout.locks, { recursive: true });
    const record = {
      ...newLockRecord("stage data:digits"),
      pid: holder.pid,
      start: processStartTime(holder.pid),
    };
    await Deno.writeTextFile(layout.lock(fingerprint("data:digits")), JSON.stringify(record));
    const cli = startCli(box, ["run", config]);
    await cli.waitFor(`waiting for process ${holder.pid} on this machine`);
    const sent = performance.now();
    cli.process.kill("SIGINT");
    const { code, output } = await cli.finished();
    assert.equal(code, 130, output);
    assert.ok(performance.now() - sent < 2000);
    assert.match(output, /data:digits\s+skipped/);
  } finally {
    holder.kill();
    await holder.status;
  }
});
