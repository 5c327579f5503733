import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { countOutcomes, createSandbox, planWithFingerprints, TWO_RUNS } from "./_sandbox.ts";
import type { Sandbox } from "./_sandbox.ts";

/** The cache entry folder of a stage id in a sandbox. */
async function entryOf(box: Sandbox, config: string, id: string): Promise<string> {
  const { fingerprint } = await planWithFingerprints(box, config);
  return cacheLayout(box.cache).entry(fingerprint(id));
}

Deno.test("a cache entry with a tampered output file is detected and recomputed", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  const entry = await entryOf(box, config, "train:a");
  const model = join(entry, "out", "model.json");
  const original = await Deno.readTextFile(model);
  await Deno.writeTextFile(model, original.replace('"lr":0.1', '"lr":0.9'));
  const status = await box.run(["status", config]);
  assert.equal(
    status.why["train:a"],
    "cache entry file out/model.json does not match its recorded sha256; dependents decided after it",
  );
  const rerun = await box.run(["run", config]);
  assert.equal(rerun.outcomes["train:a"], "run");
  assert.equal(
    rerun.outcomes["evaluate:a"],
    "fresh",
    "same fingerprint, so downstream stays valid",
  );
  assert.equal(await Deno.readTextFile(model), original);
});

Deno.test("entries with a missing manifest, a lost file or an extra file are not trusted", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  const [data, evaluateA, evaluateB] = [
    await entryOf(box, config, "data:digits"),
    await entryOf(box, config, "evaluate:a"),
    await entryOf(box, config, "evaluate:b"),
  ];
  await Deno.remove(join(evaluateA, "out", "metrics.json"));
  await Deno.writeTextFile(join(evaluateB, "out", "stray.txt"), "x");
  const status = await box.run(["status", config]);
  assert.equal(
    status.why["evaluate:a"],
    "cache entry lost out/metrics.json; dependents decided after it",
  );
  assert.equal(
    status.why["evaluate:b"],
    "cache entry has an unexpected file out/stray.txt; dependents decided after it",
  );
  await Deno.remove(join(data, "manifest.json"));
  const later = await box.run(["status", config]);
  assert.equal(later.why["data:digits"], "no cache entry; dependents decided after it");
  assert.equal(
    later.why["train:a"],
    "input data:digits will run first; dependents decided after it",
  );
  const rerun = await box.run(["run", config]);
  // data:digits reruns with identical bytes, so train:a stays fresh (early cutoff).
  assert.deepEqual(countOutcomes(rerun.outcomes), { run: 3, fresh: 4 });
  assert.equal(rerun.outcomes["train:a"], "fresh");
  assert.deepEqual(countOutcomes((await box.run(["run", config])).outcomes), { fresh: 7 });
});

Deno.test("a failing stage exits 1 naming stage and run, caches nothing for it, and leaves other entries", async () => {
  await using box = await createSandbox();
  const config = box.write("fail.yaml", TWO_RUNS.replace("lr: 0.2 }", "lr: 0.2, fail: true }"));
  const result = await box.run(["run", config]);
  assert.equal(result.code, 1);
  assert.deepEqual(result.outcomes, {
    "data:digits": "run",
    "train:a": "run",
    "evaluate:a": "run",
    "data:letters": "run",
    "train:b": "failed",
    "evaluate:b": "skipped",
    "report:fail": "skipped",
  });
  assert.equal(result.err.at(-1), "Stage train:b (run b) failed: loss is NaN at epoch 1");
  const failedEntry = await entryOf(box, config, "train:b");
  await assert.rejects(() => Deno.stat(failedEntry), Deno.errors.NotFound);
  const tmp = [...Deno.readDirSync(join(box.cache, "tmp"))];
  assert.deepEqual(tmp, [], "the failed stage's temp folder is removed");
  const again = await box.run(["run", config]);
  assert.equal(again.code, 1);
  assert.deepEqual(countOutcomes(again.outcomes), { fresh: 4, failed: 1, skipped: 2 });
});

Deno.test("--only runs just the stages a matching run needs and --force reruns matching stages", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const only = await box.run(["run", config, "--only", "a"]);
  assert.deepEqual(only.outcomes, { "data:digits": "run", "train:a": "run", "evaluate:a": "run" });
  await box.run(["run", config]);
  const forced = await box.run(["run", "--force", "train:*", config]);
  assert.deepEqual(countOutcomes(forced.outcomes), { run: 2, fresh: 5 });
  assert.equal(forced.outcomes["train:b"], "run");
  const forcedRun = await box.run(["status", config, "--force=b"]);
  assert.deepEqual(
    Object.keys(forcedRun.outcomes).filter((id) => forcedRun.outcomes[id] === "will run"),
    ["train:b", "evaluate:b", "report:two"],
  );
  assert.equal(
    forcedRun.why["report:two"],
    "input train:b will run first; input evaluate:b will run first",
  );
  assert.equal(forcedRun.why["train:b"], "forced by --force; dependents decided after it");
  const all = await box.run(["status", config, "--force"]);
  assert.deepEqual(countOutcomes(all.outcomes), { "will run": 7 });
  const none = await box.run(["run", config, "--only", "zzz*"]);
  assert.equal(none.code, 2);
  assert.equal(
    none.err[0],
    "Cannot select runs as --only 'zzz*' matches no run: the runs are 'a', 'b'",
  );
  const both = await box.run(["status", config, "--only", "a, b"]);
  assert.deepEqual(countOutcomes(both.outcomes), { fresh: 6 }, "both runs' stages, not the report");
  const typo = await box.run(["status", config, "--only", "a,bb"]);
  assert.equal(typo.code, 2, "one glob of the list matching nothing is an error");
  assert.equal(
    typo.err[0],
    "Cannot select runs as --only 'bb' matches no run: the runs are 'a', 'b'",
  );
});

Deno.test("--jobs 2 runs stages in child processes with the same results as in-process", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const parallel = await box.run(["run", config, "--jobs", "2"]);
  assert.equal(parallel.code, 0, parallel.err.join("\n"));
  assert.deepEqual(countOutcomes(parallel.outcomes), { run: 7 });
  const report = await Deno.readTextFile(join(box.publishRoot, "two", "report.md"));
  await Deno.remove(box.cache, { recursive: true });
  await box.run(["run", config]);
  assert.equal(await Deno.readTextFile(join(box.publishRoot, "two", "report.md")), report);
});

Deno.test("a stage failing in a child process (--jobs 2) reports the stage's own error", async () => {
  await using box = await createSandbox();
  const config = box.write("fail.yaml", TWO_RUNS.replace("lr: 0.2 }", "lr: 0.2, fail: true }"));
  const result = await box.run(["run", config, "--jobs", "2"]);
  assert.equal(result.code, 1);
  assert.equal(result.outcomes["train:b"], "failed");
  assert.equal(result.outcomes["report:fail"], "skipped");
  assert.equal(result.err.at(-1), "Stage train:b (run b) failed: loss is NaN at epoch 1");
});
