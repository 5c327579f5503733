import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { runPipeline } from "../../pipelines/run/run_pipeline.ts";
import { lockStage } from "../../pipelines/cache/stage_lock.ts";
import { createSandbox, planWithFingerprints, TWO_RUNS } from "./_sandbox.ts";

/** A process that runs for `seconds` (a lock holder that is alive). */
function sleeper(seconds: number): Deno.ChildProcess {
  return new Deno.Command("sleep", { args: [String(seconds)] }).spawn();
}

Deno.test("lockStage() takes over the lock of a process that is gone, without waiting", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-lock-" });
  try {
    const layout = cacheLayout(dir);
    const gone = sleeper(0);
    await gone.status;
    await Deno.mkdir(join(dir, "locks"));
    await Deno.writeTextFile(layout.lock("f"), String(gone.pid));
    const waited: number[] = [];
    const lock = await lockStage(layout, "f", { onWait: (pid) => waited.push(pid) });
    assert.equal(await Deno.readTextFile(layout.lock("f")), String(Deno.pid));
    assert.deepEqual(waited, []);
    await lock.release();
    await assert.rejects(() => Deno.stat(layout.lock("f")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stage locked by a live process is waited for, and the entry that process made is used", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  const { stages, fingerprint } = await planWithFingerprints(box, config);
  const layout = cacheLayout(box.cache);
  const train = stages.find((s) => s.id === "train:a")!;
  const entry = layout.entry(fingerprint("train:a"));
  await Deno.rename(entry, `${entry}.aside`);
  const holder = sleeper(1.2);
  await Deno.mkdir(join(box.cache, "locks"), { recursive: true });
  await Deno.writeTextFile(layout.lock(fingerprint("train:a")), String(holder.pid));
  // The "other process" commits its entry before it exits.
  const commit = new Promise((r) => setTimeout(r, 400)).then(() =>
    Deno.rename(`${entry}.aside`, entry)
  );
  const logs: string[] = [];
  const results = await runPipeline(stages, {
    layout,
    reporter: { log: (id, line) => logs.push(`${id}: ${line}`), progress() {}, done() {} },
  });
  await commit;
  await holder.status;
  assert.equal(results.find((r) => r.stage === train)!.outcome, "fresh");
  assert.ok(
    results.every((r) => r.outcome === "fresh"),
    JSON.stringify(results.map((r) => r.outcome)),
  );
  assert.deepEqual(logs, [
    `train:a: waiting for process ${holder.pid}, which is computing this stage`,
  ]);
});
