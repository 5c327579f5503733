import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultConfigs } from "../../pipelines/cli/gc_command.ts";
import { openHistory } from "../../pipelines/history/history_store.ts";
import { countOutcomes, createSandbox, TWO_RUNS } from "./_sandbox.ts";

function entries(cache: string): string[] {
  try {
    return [...Deno.readDirSync(join(cache, "entries"))].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function idOf(cache: string, fingerprint: string): string {
  return JSON.parse(Deno.readTextFileSync(join(cache, "entries", fingerprint, "manifest.json"))).id;
}

/** A process that stays alive until killed, to hold locks and "run" pipelines. */
function sleeper(): Deno.ChildProcess {
  return new Deno.Command("sleep", { args: ["60"], stdout: "null", stderr: "null" }).spawn();
}

Deno.test("gc frees the entries no config reaches and keeps the reachable ones; --dry-run only lists", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  const first = entries(box.cache);
  box.edit("two.yaml", (t) => t.replace("lr: 0.2", "lr: 0.25"));
  await box.run(["run", config]);
  const stale = first.filter((fp) =>
    ["train:b", "evaluate:b", "report:two"].includes(idOf(box.cache, fp))
  );
  assert.equal(entries(box.cache).length, 10, "7 stages + 3 older entries of b and the report");
  assert.equal(stale.length, 3);
  const sizes = stale.map((fp) => {
    let total = 0;
    const walk = (dir: string) => {
      for (const e of Deno.readDirSync(dir)) {
        if (e.isDirectory) walk(join(dir, e.name));
        else total += Deno.statSync(join(dir, e.name)).size;
      }
    };
    walk(join(box.cache, "entries", fp));
    return total;
  });
  const freed = sizes.reduce((a, b) => a + b, 0);

  const dry = await box.run(["gc", config, "--dry-run"]);
  assert.equal(dry.code, 0, dry.err.join("\n"));
  assert.equal(entries(box.cache).length, 10, "a dry run removes nothing");
  const lines = dry.out.split("\n");
  assert.deepEqual(lines[0].split(/\s+/), ["would", "remove", "stage", "size"]);
  assert.deepEqual(
    lines.slice(2, 5).map((l) => l.split(/\s{2,}/)[0]).sort(),
    stale.map((fp) => `entries/${fp}`).sort(),
  );
  assert.match(
    lines.at(-1)!,
    new RegExp(
      `^gc: would free .* \\(${freed} bytes\\) in 3 entries and 0 checkpoint folders; kept 7 reachable$`,
    ),
  );

  const gc = await box.run(["gc", config]);
  assert.equal(gc.code, 0);
  assert.match(
    gc.out.split("\n").at(-1)!,
    new RegExp(`^gc: freed .* \\(${freed} bytes\\) in 3 entries`),
  );
  assert.equal(entries(box.cache).length, 7);
  assert.ok(stale.every((fp) => !entries(box.cache).includes(fp)));
  const after = await box.run(["run", config]);
  assert.deepEqual(
    countOutcomes(after.outcomes),
    { fresh: 7 },
    "everything reachable is still cached",
  );
  const again = await box.run(["gc", config]);
  assert.equal(
    again.out,
    "gc: freed 0 bytes (0 bytes) in 0 entries and 0 checkpoint folders; kept 7 reachable",
  );
});

Deno.test("gc --keep-last N keeps the newest unreachable entries of each stage id", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  for (const lr of ["0.25", "0.3"]) {
    box.edit("two.yaml", (t) => t.replace(/lr: 0\.2\d* \}/, `lr: ${lr} }`));
    await box.run(["run", config]);
  }
  assert.equal(entries(box.cache).length, 13, "7 + two older generations of 3");
  const gc = await box.run(["gc", config, "--keep-last", "1"]);
  assert.equal(gc.code, 0, gc.err.join("\n"));
  assert.match(
    gc.out.split("\n").at(-1)!,
    /in 3 entries .*; kept 7 reachable, 3 by --keep-last 1$/,
  );
  const kept = entries(box.cache).map((fp) => idOf(box.cache, fp)).sort();
  assert.deepEqual(kept.filter((id) => id === "train:b"), ["train:b", "train:b"]);
  const bad = await box.run(["gc", config, "--keep-last", "two"]);
  assert.equal(bad.code, 2);
  assert.deepEqual(bad.err, [
    'Cannot collect garbage as --keep-last must be a whole number: current value is "two"',
  ]);
});

Deno.test("gc never removes an entry whose lock another live process holds, nor what a running pipeline reaches", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const other = box.write(
    "other.yaml",
    TWO_RUNS.replace("Two runs", "Other").replace("lr: 0.1", "lr: 0.15"),
  );
  await box.run(["run", config]);
  await box.run(["run", other]);
  const mine = entries(box.cache);
  const unreachable = (await box.run(["gc", config, "--dry-run"])).out.split("\n").slice(2, -1)
    .map((l) => l.split(/\s+/)[0].replace("entries/", ""));
  assert.equal(unreachable.length, 3, "other.yaml's train:a, evaluate:a and report");
  const [locked, dead] = unreachable;
  const holder = sleeper();
  try {
    await Deno.mkdir(join(box.cache, "locks"), { recursive: true });
    await Deno.writeTextFile(join(box.cache, "locks", `${locked}.lock`), String(holder.pid));
    // A lock whose process is gone is stale: gc takes it over and removes the entry.
    await Deno.writeTextFile(join(box.cache, "locks", `${dead}.lock`), "999999999");
    const gc = await box.run(["gc", config]);
    assert.equal(gc.code, 0, gc.err.join("\n"));
    assert.match(
      gc.out.split("\n").at(-1)!,
      /in 2 entries .*; kept 7 reachable, 1 locked by another process$/,
    );
    assert.ok(entries(box.cache).includes(locked), "the locked entry survives");
    assert.ok(!entries(box.cache).includes(dead));
    assert.equal(entries(box.cache).length, mine.length - 2);

    // A pipeline still running other.yaml (per the history) keeps what other.yaml reaches.
    await box.run(["run", other]);
    const store = openHistory(box.cache)!;
    const [last] = store.list();
    const { id: _id, ...record } = last;
    store.append({
      ...record,
      outcome: "running",
      pid: holder.pid,
      started: new Date().toISOString(),
    });
    store.close();
    const before = entries(box.cache);
    const protectedRun = await box.run(["gc", config]);
    assert.equal(protectedRun.code, 0, protectedRun.err.join("\n"));
    assert.deepEqual(entries(box.cache), before, "nothing other.yaml reaches is removed");
  } finally {
    holder.kill();
    await holder.status;
  }
  const gc = await box.run(["gc", config]);
  assert.match(
    gc.out.split("\n").at(-1)!,
    /in 3 entries/,
    "once the process is gone, its entries go",
  );
});

Deno.test("gc's default configs are every config under the folder except the bases others extend", async () => {
  await using box = await createSandbox();
  await Deno.mkdir(join(box.dir, "configs", "base"), { recursive: true });
  box.write("configs/base/common.yaml", "defaults: { model: { name: tiny } }\n");
  box.write(
    "configs/a.yaml",
    "extends: ./base/common.yaml\nexperiments: { a: { train: { lr: 0.1 } } }\n",
  );
  box.write("configs/b.yml", TWO_RUNS);
  assert.deepEqual(defaultConfigs(join(box.dir, "configs")), [
    join(box.dir, "configs", "a.yaml"),
    join(box.dir, "configs", "b.yml"),
  ]);
});
