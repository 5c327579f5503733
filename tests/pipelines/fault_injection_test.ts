/**
 * Kills the pipeline at file system changes of a small run (a random sample of the creates, writes,
 * renames, links and removals in the cache and the reports folder, at least one of each kind; all
 * of them with FAULT_ALL=1; FAULT_SEED replays a sample), then checks that a rerun completes with the same numbers as an uninterrupted run,
 * that every cache entry matches its manifest, and that nothing the tool left is trusted or kept.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { parseLockRecord } from "../../pipelines/cache/lock_record.ts";
import { readPublishManifest } from "../../pipelines/cache/publish_manifest.ts";
import { verifyEntry } from "../../pipelines/cache/verify_entry.ts";
import { hashFile } from "../../pipelines/hashing/hash_tree.ts";
import { createSandbox, type Sandbox, TWO_RUNS } from "./_sandbox.ts";

const CLI = new URL("../fixtures/pipelines/run_faulty_cli.ts", import.meta.url).pathname;
/** Kill points per scenario (FAULT_ALL=1: every change). */
const SAMPLE = 7;

/** Runs the fake project's CLI in a process that dies at change `at` (0: never). */
async function faultyRun(box: Sandbox, config: string, at: number, log?: string) {
  const { code, signal } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "run", config, "--cache-dir", box.cache],
    env: {
      FAULT_ROOTS: `${box.cache}:${box.publishRoot}`,
      FAULT_AT: String(at),
      ...(log ? { FAULT_LOG: log } : {}),
      FAKE_PUBLISH_ROOT: box.publishRoot,
      FAKE_STAGE_DIR: new URL(`file://${box.stages}/`).href,
    },
    stdout: "null",
    stderr: "null",
  }).output();
  return { code, signal };
}

/** The numbers a run produced: the published report and each run's metric. */
function numbers(box: Sandbox, name: string): Record<string, string> {
  const folder = join(box.publishRoot, name);
  const result: Record<string, string> = {
    "report.md": Deno.readTextFileSync(join(folder, "report.md")),
  };
  for (const entry of Deno.readDirSync(join(folder, "runs"))) {
    result[`runs/${entry.name}`] = Deno.readTextFileSync(join(folder, "runs", entry.name));
  }
  return result;
}

/** Every entry verifies; no temp folder, lock or half-made file is left; the report is whole. */
async function checkConsistent(box: Sandbox, name: string, where: string): Promise<void> {
  const layout = cacheLayout(box.cache);
  for (const entry of Deno.readDirSync(layout.entries)) {
    const check = await verifyEntry(layout, entry.name);
    assert.ok(
      check.ok,
      `after a kill at ${where}: entry ${entry.name}: ${JSON.stringify(check)}`,
    );
  }
  const left = (dir: string) => {
    try {
      return [...Deno.readDirSync(dir)].map((e) => e.name);
    } catch {
      return [];
    }
  };
  assert.deepEqual(left(layout.tmp), [], `tmp/ after a kill at ${where}`);
  // A lock's beside-file torn by the kill is never a lock and goes after an hour; nothing else
  // (no lock, no complete beside-file of the dead process) may remain.
  const locks = left(layout.locks).filter((n) => {
    if (!/\.tmp$|\.beat$/.test(n)) return true;
    return parseLockRecord(Deno.readTextFileSync(join(layout.locks, n))) !== undefined;
  });
  assert.deepEqual(locks, [], `locks/ after a kill at ${where}`);
  assert.deepEqual(left(layout.workDir), [], `work/ after a kill at ${where}`);
  const folder = join(box.publishRoot, name);
  const manifest = await readPublishManifest(folder);
  assert.ok(
    typeof manifest === "object" && !manifest.pending && !manifest.temps,
    `manifest after a kill at ${where}`,
  );
  for (const [file, sha] of Object.entries(manifest.files)) {
    assert.equal(
      (await hashFile(join(folder, file))).sha256,
      sha,
      `${file} after a kill at ${where}`,
    );
  }
  const stray = left(folder).filter((n) => n.includes("cnnlab-tmp") || n.endsWith(".tmp"));
  assert.deepEqual(stray, [], `publish folder after a kill at ${where}`);
}

/** The changes a run makes (from FAULT_LOG), as `<op> <path>` per 1-based index. */
function changes(log: string): string[] {
  return Deno.readTextFileSync(log).trim().split("\n").map((l) => l.split(" ").slice(1).join(" "));
}

/** The seed of this test run's sample (FAULT_SEED to replay one named in a failure). */
const SEED = Number(Deno.env.get("FAULT_SEED") ?? Math.floor(Math.random() * 2 ** 31));

/** A small seeded generator (mulberry32): the same seed picks the same kill points. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A random sample of `SAMPLE` changes holding at least one of each kind (rename, remove, write,
 * mkdir, link, ...) so every kind of step is killed in every CI run, and over many runs every
 * single change is; FAULT_ALL=1 takes all of them.
 */
function killPoints(ops: string[], seed: number): number[] {
  if (Deno.env.get("FAULT_ALL") === "1") return ops.map((_, i) => i + 1);
  const next = random(seed);
  const pick = (from: number[]) => from[Math.floor(next() * from.length)];
  const byKind = Map.groupBy(ops.map((_, i) => i + 1), (at) => ops[at - 1].split(" ")[0]);
  const chosen = new Set([...byKind.values()].map(pick));
  const all = ops.map((_, i) => i + 1);
  while (chosen.size < Math.min(SAMPLE, ops.length)) chosen.add(pick(all));
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Runs `scenario` once to count its changes and get the reference numbers, then once per kill
 * point in a fresh sandbox: killed there, rerun, checked.
 */
async function killEverywhere(
  prepare: (box: Sandbox) => Promise<string>,
  name: string,
  after?: (box: Sandbox, where: string) => void,
): Promise<number> {
  let reference: Record<string, string>;
  let ops: string[];
  {
    await using box = await createSandbox();
    const config = await prepare(box);
    const log = join(box.dir, "changes.log");
    const { code } = await faultyRun(box, config, 0, log);
    assert.equal(code, 0);
    reference = numbers(box, name);
    ops = changes(log);
  }
  const points = killPoints(ops, SEED);
  if (Deno.env.get("FAULT_VERBOSE")) {
    console.log(`seed ${SEED}: ${points.length} of ${ops.length} changes: ${points.join(" ")}`);
  }
  for (const at of points) {
    const where = `change ${at} (${ops[at - 1]}; FAULT_SEED=${SEED})`;
    await using box = await createSandbox();
    const config = await prepare(box);
    const killed = await faultyRun(box, config, at);
    assert.equal(killed.signal, "SIGKILL", `${where} was not reached`);
    const rerun = await box.run(["run", config]);
    assert.equal(
      rerun.code,
      0,
      `rerun after a kill at ${where}: ${rerun.err}`,
    );
    assert.deepEqual(numbers(box, name), reference, `numbers after a kill at ${where}`);
    await checkConsistent(box, name, where);
    after?.(box, where);
  }
  return points.length;
}

Deno.test("a first run killed at any change of the cache or the reports folder is completed by the next run with the same numbers", async () => {
  const tried = await killEverywhere(
    (box) => Promise.resolve(box.write("two.yaml", TWO_RUNS)),
    "two",
  );
  assert.ok(tried >= SAMPLE, `${tried} kill points`);
});

Deno.test("a rerun that replaces entries and published files, killed at any change, is completed by the next run", async () => {
  const tried = await killEverywhere(
    async (box) => {
      const config = box.write("two.yaml", TWO_RUNS);
      assert.equal((await box.run(["run", config])).code, 0);
      Deno.writeTextFileSync(join(box.publishRoot, "two", "notes.md"), "mine\n");
      // A new lr for run a: its train, evaluate and the report are replaced, runs/a.txt rewritten.
      box.edit("two.yaml", (t) => t.replace("lr: 0.1 }", "lr: 0.3 }"));
      return config;
    },
    "two",
    (box, where) => {
      const notes = Deno.readTextFileSync(join(box.publishRoot, "two", "notes.md"));
      assert.equal(notes, "mine\n", `the user's notes after a kill at ${where}`);
    },
  );
  assert.ok(tried >= SAMPLE, `${tried} kill points`);
});
