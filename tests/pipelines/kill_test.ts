import assert from "node:assert/strict";
import { join } from "node:path";
import { createSandbox } from "./_sandbox.ts";

const CLI = new URL("../fixtures/pipelines/run_fake_cli.ts", import.meta.url).pathname;

const SLOW = `defaults:
  model: { name: tiny }
experiments:
  slow: { train: { lr: 0.1, epochs: 4, sleep_ms: 250 } }
`;

/** Waits until `check` returns true, polling every 50 ms, for at most `ms`. */
async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function checkpointWritten(cache: string): boolean {
  try {
    return [...Deno.readDirSync(join(cache, "work"))].some((d) => {
      try {
        return Number(Deno.readTextFileSync(join(cache, "work", d.name, "epoch.txt"))) >= 1;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

Deno.test("a process killed mid-stage leaves nothing the next run trusts, and the next run resumes and completes", async () => {
  await using box = await createSandbox();
  const config = box.write("slow.yaml", SLOW);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "run", config, "--cache-dir", box.cache],
    env: { FAKE_PUBLISH_ROOT: box.publishRoot, NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitFor(() => checkpointWritten(box.cache), 20_000);
  } finally {
    child.kill("SIGKILL");
  }
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL");
  const leftovers = [...Deno.readDirSync(join(box.cache, "tmp"))].map((e) => e.name);
  assert.equal(leftovers.length, 1, "the killed stage's temp folder is still there");
  assert.ok(Deno.statSync(join(box.cache, "tmp", leftovers[0], "out", "partial.txt")).isFile);

  const before = await box.run(["status", config]);
  assert.deepEqual(before.outcomes, {
    "data:digits": "fresh",
    "train:slow": "will run",
    "evaluate:slow": "will run",
    "report:slow": "will run",
  });
  assert.equal(before.why["train:slow"], "never run before; dependents decided after it");

  const rerun = await box.run(["run", config]);
  assert.equal(rerun.code, 0);
  assert.deepEqual(rerun.outcomes, {
    "data:digits": "fresh",
    "train:slow": "run",
    "evaluate:slow": "run",
    "report:slow": "run",
  });
  assert.deepEqual(
    [...Deno.readDirSync(join(box.cache, "tmp"))],
    [],
    "stale temp folders are removed",
  );
  assert.deepEqual(
    [...Deno.readDirSync(join(box.cache, "work"))],
    [],
    "work folders go after success",
  );
  const entries = [...Deno.readDirSync(join(box.cache, "entries"))].map((e) => e.name);
  const models = entries.flatMap((e) => {
    try {
      return [
        JSON.parse(Deno.readTextFileSync(join(box.cache, "entries", e, "out", "model.json"))),
      ];
    } catch {
      return [];
    }
  });
  assert.equal(models.length, 1);
  assert.ok(models[0].resumedFrom >= 1, "the checkpoint in workDir survived the kill");
  assert.equal(models[0].history.length, 4 - models[0].resumedFrom);
});

Deno.test("silent stage processes of a killed --jobs 2 pipeline exit instead of running on as orphans", async () => {
  await using box = await createSandbox();
  const config = box.write(
    "slow2.yaml",
    SLOW.replace("epochs: 4, sleep_ms: 250", "epochs: 200, sleep_ms: 100, quiet: true") +
      "  other: { train: { lr: 0.2, epochs: 200, sleep_ms: 100, quiet: true } }\n",
  );
  const parent = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "run", config, "--cache-dir", box.cache, "--jobs", "2"],
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitFor(() => checkpointWritten(box.cache), 20_000);
  } finally {
    parent.kill("SIGKILL");
  }
  await parent.status;
  // The epoch each started stage has checkpointed ("-" before its first one).
  const epochs = () =>
    [...Deno.readDirSync(join(box.cache, "work"))].map((d) => {
      try {
        return Deno.readTextFileSync(join(box.cache, "work", d.name, "epoch.txt"));
      } catch {
        return "-";
      }
    }).sort().join(",");
  // Give the children time to notice; orphans would go on for 20 s.
  await new Promise((r) => setTimeout(r, 1500));
  const settled = epochs();
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(epochs(), settled, "no stage process is still training");
});
