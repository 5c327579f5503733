import assert from "node:assert/strict";
import { join } from "node:path";
import { countOutcomes, createSandbox, TWO_RUNS } from "./_sandbox.ts";

Deno.test("an unchanged rerun runs 0 stages and says every stage is fresh", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const first = await box.run(["run", config]);
  assert.equal(first.code, 0);
  assert.deepEqual(first.outcomes, {
    "data:digits": "run",
    "train:a": "run",
    "evaluate:a": "run",
    "data:letters": "run",
    "train:b": "run",
    "evaluate:b": "run",
    "report:two": "run",
  });
  assert.match(first.out, /\n7 run, 0 restored, 0 fresh, 0 failed, 0 skipped in \d+\.\d s$/);
  const report = await Deno.readTextFile(join(box.publishRoot, "two", "report.md"));
  assert.match(report, /\| evaluate:a \| 0\.\d{4} \|/);
  const second = await box.run(["run", config]);
  assert.equal(second.code, 0);
  assert.deepEqual(countOutcomes(second.outcomes), { fresh: 7 });
  assert.equal(second.err.at(-1), "Nothing to run: all 7 stages are up to date");
  const status = await box.run(["status", config]);
  assert.deepEqual(countOutcomes(status.outcomes), { fresh: 7 });
  assert.match(status.out, /7 fresh, 0 will restore, 0 will run$/);
});

Deno.test("changing one run's lr reruns exactly its train and evaluate and the report, and says why", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  box.edit("two.yaml", (t) => t.replace("lr: 0.2", "lr: 0.25"));
  const status = await box.run(["status", config]);
  assert.deepEqual(status.outcomes, {
    "data:digits": "fresh",
    "train:a": "fresh",
    "evaluate:a": "fresh",
    "data:letters": "fresh",
    "train:b": "will run",
    "evaluate:b": "will run",
    "report:two": "will run",
  });
  assert.equal(status.why["train:b"], "param train.lr 0.2 → 0.25; dependents decided after it");
  assert.equal(
    status.why["evaluate:b"],
    "input train:b will run first; dependents decided after it",
  );
  assert.equal(
    status.why["report:two"],
    "input train:b will run first; input evaluate:b will run first",
  );
  const dry = await box.run(["run", config, "--dry-run"]);
  assert.deepEqual(dry.outcomes, status.outcomes);
  const rerun = await box.run(["run", config]);
  assert.deepEqual(
    Object.entries(rerun.outcomes).filter(([, o]) => o === "run").map(([id]) => id),
    ["train:b", "evaluate:b", "report:two"],
  );
});

Deno.test("changing only report: reruns only the report", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  box.edit("two.yaml", (t) => t.replace("title: Two runs", "title: Renamed"));
  const status = await box.run(["status", config]);
  assert.equal(status.why["report:two"], 'param options.title "Two runs" → Renamed');
  const rerun = await box.run(["run", config]);
  assert.deepEqual(countOutcomes(rerun.outcomes), { fresh: 6, run: 1 });
  assert.equal(rerun.outcomes["report:two"], "run");
});

Deno.test("editing the train stage's source, or a file it imports, reruns every train stage; identical outputs leave dependents fresh (early cutoff)", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  box.edit("stages/train.ts", (t) => t + "\n// a harmless edit\n");
  const status = await box.run(["status", config]);
  const trainFile = join(box.stages, "train.ts");
  assert.equal(status.why["train:a"], `code ${trainFile}; dependents decided after it`);
  assert.equal(status.why["train:b"], `code ${trainFile}; dependents decided after it`);
  const rerun = await box.run(["run", config]);
  assert.deepEqual(rerun.outcomes, {
    "data:digits": "fresh",
    "train:a": "run",
    "evaluate:a": "fresh",
    "data:letters": "fresh",
    "train:b": "run",
    "evaluate:b": "fresh",
    "report:two": "fresh",
  });
  box.edit("stages/_loss.ts", (t) => t.replace("mean / (1 + lr", "mean / (2 + lr"));
  const transitive = await box.run(["status", config]);
  assert.equal(
    transitive.why["train:a"],
    `code ${join(box.stages, "_loss.ts")}; dependents decided after it`,
  );
  assert.equal(transitive.outcomes["data:digits"], "fresh");
  // A child process, so the edited module is what executes (this process cached the old one).
  const changed = await box.run(["run", config, "--isolate"]);
  assert.deepEqual(changed.outcomes, {
    "data:digits": "fresh",
    "train:a": "run",
    "evaluate:a": "run",
    "data:letters": "fresh",
    "train:b": "run",
    "evaluate:b": "fresh", // data set "letters" gives loss 0 either way: same metrics, cut off
    "report:two": "run",
  });
  box.edit("stages/report.ts", (t) => t + "\n// only the report\n");
  const reportOnly = await box.run(["run", config]);
  assert.deepEqual(countOutcomes(reportOnly.outcomes), { fresh: 6, run: 1 });
  assert.equal(reportOnly.outcomes["report:two"], "run");
});

Deno.test("a changed runtime fact reruns the stages that carry it", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  const status = await box.run(["status", config], { runtimeVersion: 2 });
  assert.equal(status.why["train:a"], "runtime version 1 → 2; dependents decided after it");
  assert.equal(status.outcomes["data:digits"], "fresh");
  const rerun = await box.run(["run", config], { runtimeVersion: 2 });
  // train and evaluate carry the fact and rerun; their outputs are unchanged, so the report is not.
  assert.deepEqual(countOutcomes(rerun.outcomes), { fresh: 3, run: 4 });
});

Deno.test("identical stages in two configs are one cache entry", async () => {
  await using box = await createSandbox();
  const first = box.write("two.yaml", TWO_RUNS);
  const second = box.write("copy.yaml", TWO_RUNS.replace("title: Two runs", "title: Copy"));
  await box.run(["run", first]);
  const status = await box.run(["status", second]);
  assert.deepEqual(countOutcomes(status.outcomes), { fresh: 6, "will run": 1 });
  assert.equal(status.outcomes["report:copy"], "will run");
  const both = await box.run(["status", first, second]);
  assert.equal(Object.keys(both.outcomes).length, 8, "6 shared stages + 2 reports");
});

Deno.test("a deleted publish folder is restored from the cache without running the report", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  const published = join(box.publishRoot, "two", "report.md");
  const before = await Deno.readTextFile(published);
  await Deno.remove(join(box.publishRoot, "two"), { recursive: true });
  const status = await box.run(["status", config]);
  assert.equal(status.outcomes["report:two"], "will restore");
  assert.equal(
    status.why["report:two"],
    `publish folder ${join(box.publishRoot, "two")} is missing or differs`,
  );
  const rerun = await box.run(["run", config]);
  assert.equal(rerun.outcomes["report:two"], "restored");
  assert.equal(await Deno.readTextFile(published), before);
});

Deno.test("two experiments with identical params share their stages, and tables name both ids", async () => {
  await using box = await createSandbox();
  const config = box.write(
    "same.yaml",
    "defaults: { model: { name: tiny }, train: { lr: 0.1 } }\nexperiments: { a: {}, twin: {} }\n",
  );
  const result = await box.run(["run", config]);
  assert.match(result.out, /^train:a \(same as train:twin\)\s+run/m);
  assert.match(result.out, /^evaluate:a \(same as evaluate:twin\)\s+run/m);
  assert.match(result.out, /\n4 run, 0 restored, 0 fresh/);
});
