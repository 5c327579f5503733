import assert from "node:assert/strict";
import { join } from "node:path";
import { openHistory } from "../../pipelines/history/history_store.ts";
import { createSandbox, TWO_RUNS } from "./_sandbox.ts";

const CLI = new URL("../fixtures/pipelines/run_fake_cli.ts", import.meta.url).pathname;
const APPEND = new URL("../fixtures/pipelines/append_history.ts", import.meta.url).pathname;

function entryExists(cache: string, fingerprint: string): boolean {
  try {
    return Deno.statSync(join(cache, "entries", fingerprint, "manifest.json")).isFile;
  } catch {
    return false;
  }
}

Deno.test("every pipeline invocation appends a record: configs, overrides, git commit, runs, stage fingerprints, outcome", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  assert.equal(openHistory(box.cache), undefined, "no history before the first run");
  await box.run(["run", config]);
  await box.run(["status", config]); // status records nothing
  await box.run(["run", config, "a.train.lr=0.3"]);
  await box.run(["run", config, "b.train.fail=true"]);
  const store = openHistory(box.cache)!;
  const records = store.list();
  store.close();
  assert.deepEqual(records.map((r) => [r.id, r.outcome, r.exit_code, r.overrides]), [
    [3, "failed", 1, ["b.train.fail=true"]],
    [2, "ok", 0, ["a.train.lr=0.3"]],
    [1, "ok", 0, []],
  ]);
  const [failed, second, first] = records;
  assert.equal(first.pid, Deno.pid);
  assert.match(first.git!.commit, /^[0-9a-f]{40}$/);
  assert.ok(first.seconds! >= 0 && first.finished! >= first.started);
  assert.deepEqual(first.configs.map((c) => [c.name, c.path, c.hash.length]), [
    ["two", config, 64],
  ]);
  assert.deepEqual(second.configs[0].runs.map((r) => [r.name, r.overrides]), [
    ["a-lr=0.3", { "train.lr": 0.3 }],
    ["b", undefined],
  ]);
  assert.deepEqual(
    second.configs[0].stages.map((s) => [s.ids[0], s.kind, s.runs, s.outcome]),
    [
      ["data:digits", "data", [], "fresh"],
      ["train:a-lr=0.3", "train", ["a-lr=0.3"], "run"],
      ["evaluate:a-lr=0.3", "evaluate", ["a-lr=0.3"], "run"],
      ["data:letters", "data", [], "fresh"],
      ["train:b", "train", ["b"], "fresh"],
      ["evaluate:b", "evaluate", ["b"], "fresh"],
      ["report:two", "report", [], "run"],
    ],
  );
  for (const stage of [...first.configs[0].stages, ...second.configs[0].stages]) {
    assert.ok(entryExists(box.cache, stage.fingerprint!), `${stage.ids[0]} names its entry`);
  }
  const b = first.configs[0].runs.find((r) => r.name === "b")!;
  assert.deepEqual(b.params, {
    data: { dataset: "letters" },
    model: { name: "small", width: 4, dropout: 0 },
    train: { lr: 0.2, batch_size: 32, epochs: 2, optimizer: "sgd" },
    seed: 0,
  });
  const trainB = failed.configs[0].stages.find((s) => s.ids[0] === "train:b-fail=true")!;
  assert.equal(trainB.outcome, "failed");
  assert.equal(trainB.fingerprint, undefined);
});

Deno.test("two pipelines running at once on one cache both keep complete records", async () => {
  await using box = await createSandbox();
  const slow = (name: string, lr: number) =>
    box.write(
      `${name}.yaml`,
      `defaults: { model: { name: tiny } }\nexperiments:\n  ${name}: { train: { lr: ${lr}, epochs: 3, sleep_ms: 150 } }\n`,
    );
  const configs = [slow("one", 0.1), slow("two", 0.2)];
  const children = configs.map((config) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "run", config, "--cache-dir", box.cache],
      env: { FAKE_PUBLISH_ROOT: box.publishRoot, NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output()
  );
  const outputs = await Promise.all(children);
  for (const output of outputs) {
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  }
  const store = openHistory(box.cache)!;
  const records = store.list();
  store.close();
  assert.equal(records.length, 2);
  assert.deepEqual(records.map((r) => r.configs[0].name).sort(), ["one", "two"]);
  const [later, earlier] = [...records].sort((a, b) => b.started.localeCompare(a.started));
  assert.ok(later.started < earlier.finished!, "the two invocations overlapped in time");
  for (const record of records) {
    assert.equal(record.outcome, "ok");
    assert.equal(record.configs[0].stages.length, 4);
    for (const stage of record.configs[0].stages) {
      assert.ok(entryExists(box.cache, stage.fingerprint!), stage.ids[0]);
    }
  }
});

Deno.test("the history store loses no record and tears none when two processes write at once", async () => {
  const cache = await Deno.makeTempDir({ prefix: "cnnlab-history-" });
  try {
    const count = 40;
    const writers = ["left", "right"].map((tag) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", APPEND, cache, String(count), tag],
        stdout: "null",
        stderr: "piped",
      }).output()
    );
    for (const output of await Promise.all(writers)) {
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    }
    const store = openHistory(cache)!;
    const records = store.list();
    store.close();
    assert.equal(records.length, 2 * count);
    assert.deepEqual(
      records.map((r) => r.id),
      Array.from({ length: 2 * count }, (_, i) => 2 * count - i),
    );
    for (const tag of ["left", "right"]) {
      const mine = records.filter((r) => r.args[0] === tag).map((r) => Number(r.args[1]));
      assert.deepEqual(mine.sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i));
    }
    assert.ok(records.every((r) => r.outcome === "ok" && r.args[2].length === 40_000));
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("a damaged history is refused with one message, and a pipeline still runs beside it", async () => {
  await using box = await createSandbox();
  await Deno.mkdir(box.cache, { recursive: true });
  await Deno.writeTextFile(join(box.cache, "history.sqlite"), "not a database, just text\n");
  const config = box.write("two.yaml", TWO_RUNS);
  const run = await box.run(["run", config]);
  assert.equal(run.code, 0);
  assert.ok(
    run.err.some((line) =>
      line ===
        `Cannot record this invocation in the history: Cannot open the history at ${
          join(box.cache, "history.sqlite")
        }: file is not a database`
    ),
    run.err.join("\n"),
  );
});
