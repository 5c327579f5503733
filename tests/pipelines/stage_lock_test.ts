import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { cleanCache } from "../../pipelines/cache/clean_cache.ts";
import { newLockRecord } from "../../pipelines/cache/lock_record.ts";
import { probeHost } from "../../pipelines/cache/prepare_cache.ts";
import { processStartTime } from "../../pipelines/cache/process_identity.ts";
import { runPipeline } from "../../pipelines/run/run_pipeline.ts";
import { createSandbox, planWithFingerprints, TWO_RUNS } from "./_sandbox.ts";

/** A process that runs for `seconds` (a lock holder that is alive). */
function sleeper(seconds: number): Deno.ChildProcess {
  return new Deno.Command("sleep", { args: [String(seconds)] }).spawn();
}

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
  const record = {
    ...newLockRecord("stage train:a"),
    pid: holder.pid,
    start: processStartTime(holder.pid),
  };
  await Deno.writeTextFile(layout.lock(fingerprint("train:a")), JSON.stringify(record));
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
    `train:a: waiting for process ${holder.pid} on this machine, which has been computing this stage since ${record.created} (Ctrl-C stops waiting)`,
    // `sleep` exits without removing the lock, as a crashed holder would.
    `train:a: took over a stale lock: process ${holder.pid} on this machine is no longer running`,
  ]);
});

Deno.test("a stage whose lock names a process of another pid namespace (a restarted container) runs without hanging", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  // The data stage has no inputs: its fingerprint is known before anything ran.
  const plan = await planWithFingerprints(box, config);
  const layout = cacheLayout(box.cache);
  // pid 1 of a namespace that is gone; its last heartbeat is two minutes old.
  const stale = {
    ...newLockRecord("stage train:a"),
    pid: 1,
    pidns: "pid:[4026530000]",
    start: "3",
    heartbeat: Date.now() - 120_000,
  };
  await Deno.mkdir(layout.locks, { recursive: true });
  await Deno.writeTextFile(layout.lock(plan.fingerprint("data:digits")), JSON.stringify(stale));
  const begun = performance.now();
  const rerun = await box.run(["run", config]);
  assert.deepEqual(rerun.err.filter((l) => l.includes("waiting")), []);
  assert.equal(rerun.code, 0);
  assert.ok(performance.now() - begun < 10_000);
  assert.equal(rerun.outcomes["data:digits"], "run");
  assert.equal(rerun.outcomes["report:two"], "run");
});

Deno.test("cleanCache() removes only the tool's leftovers of dead processes", async () => {
  const root = await Deno.makeTempDir({ prefix: "cnnlab-clean-" });
  try {
    const layout = cacheLayout(root);
    const fp = (c: string) => c.repeat(64);
    const gone = new Deno.Command("sleep", { args: ["0"] }).spawn();
    const goneStart = processStartTime(gone.pid);
    await gone.status;
    const dead = { ...newLockRecord("stage x"), pid: gone.pid, start: goneStart };
    const alive = sleeper(5);
    const live = {
      ...newLockRecord("stage y"),
      pid: alive.pid,
      start: processStartTime(alive.pid),
    };
    await Deno.mkdir(layout.locks, { recursive: true });
    await Deno.writeTextFile(layout.lock(fp("a")), JSON.stringify(dead));
    await Deno.writeTextFile(layout.lock(fp("b")), JSON.stringify(live));
    const temp = async (name: string, owner?: object) => {
      await Deno.mkdir(join(layout.tmp, name, "out"), { recursive: true });
      await Deno.writeTextFile(join(layout.tmp, name, "out", "x.txt"), "x");
      if (owner) {
        await Deno.writeTextFile(join(layout.tmp, name, "owner.json"), JSON.stringify(owner));
      }
    };
    const mark = (f: string, token: string) => ({ tool: "cnnlab", fingerprint: f, token });
    const other = crypto.randomUUID();
    await temp(`${fp("a")}.${dead.token}`, mark(fp("a"), dead.token)); // its lock is stale
    await temp(`${fp("b")}.${live.token}`, mark(fp("b"), live.token)); // computing right now
    await temp(`${fp("c")}.${other}`); // no lock at all (killed before its marker): over
    await temp(`${fp("d")}.${gone.pid}.0`); // an older cache's naming: not provably ours
    await temp("photos.2019"); // a user's folder with a number in its name
    await temp(`${fp("e")}.${other}.x`); // not our naming
    // Write probes of the cache check: of a dead process here (gone), of this process and of
    // another machine (kept: their pids say nothing here, and they are under an hour old).
    const probe = (host: string, pid: number) => {
      const name = `probe.${host}.${pid}.${crypto.randomUUID()}`;
      Deno.writeFileSync(join(layout.tmp, name), new Uint8Array(16));
      return name;
    };
    const deadProbe = probe(probeHost(), gone.pid);
    const ownProbe = probe(probeHost(), Deno.pid);
    const remoteProbe = probe("node-7", gone.pid);
    // Work folders: one of a committed entry (a leftover), one of a stage never finished.
    for (const f of [fp("1"), fp("2"), fp("b")]) {
      await Deno.mkdir(join(layout.work(f)), { recursive: true });
      await Deno.writeTextFile(join(layout.work(f), "checkpoint.ckpt"), "c");
    }
    await Deno.mkdir(layout.entry(fp("1")), { recursive: true });
    await Deno.writeTextFile(
      join(layout.entry(fp("1")), "manifest.json"),
      JSON.stringify({ fingerprint: fp("1") }),
    );
    await Deno.mkdir(layout.entry(fp("b")), { recursive: true });
    await Deno.writeTextFile(
      join(layout.entry(fp("b")), "manifest.json"),
      JSON.stringify({ fingerprint: fp("b") }),
    );

    const report = await cleanCache(layout);
    report.temps.sort();
    alive.kill();
    await alive.status;
    assert.deepEqual(report, {
      locks: [`locks/${fp("a")}.lock`],
      temps: [
        `tmp/${fp("a")}.${dead.token}`,
        `tmp/${fp("c")}.${other}`,
        `tmp/${deadProbe}`,
      ].sort(),
      work: [`work/${fp("1")}`],
    });
    const left = [...Deno.readDirSync(layout.tmp)].map((e) => e.name).sort();
    assert.deepEqual(
      left,
      [
        `${fp("b")}.${live.token}`,
        `${fp("d")}.${gone.pid}.0`,
        `${fp("e")}.${other}.x`,
        "photos.2019",
        ownProbe,
        remoteProbe,
      ].sort(),
    );
    assert.ok(Deno.statSync(join(layout.tmp, "photos.2019", "out", "x.txt")).isFile);
    assert.ok(Deno.statSync(join(layout.work(fp("2")), "checkpoint.ckpt")).isFile);
    assert.ok(Deno.statSync(join(layout.work(fp("b")), "checkpoint.ckpt")).isFile, "locked: kept");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
