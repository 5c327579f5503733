/**
 * Issue 11 item 2 and issue 17 item 5 on the real project: a native train stage's key holds the
 * build id of the library that computes it and its thread count; an edited source rebuilds the
 * library (new id, new key), a library that cannot be brought up to date is refused, and
 * `--jobs N` gives each stage process its share of the cores, recorded in train.json.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  NATIVE_SOURCE_DIR,
  nativeSourceBuildId,
  readLibraryBuildId,
} from "../../tasks/backends/native/build_id.ts";
import { defaultLibraryPath } from "../../tasks/backends/native/_library.ts";
import { writeIdxFixture } from "../fixtures/datasets/make_fixtures.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(repo, "tasks/cli.ts");
const printKeys = join(repo, "tests/fixtures/tasks/print_stage_keys.ts");

const CONFIG = `defaults:
  data: { dataset: mnist }
  split: { validation: 0.2, limit: 300, seed: 0 }
  model: { name: lenet, channels: [2], fc_units: [8], activation: relu }
  train: { optimizer: adam, lr: 0.003, batch_size: 100, epochs: 1 }
  evaluate: { batch_size: 2000 }
  backend: native
experiments: { small: {} }
`;

type Keys = Record<string, { key: string; runtime: { backend: string; threads?: number } }>;

/**
 * The stages' keys planned in a new process with `env` (in the config's folder, which holds the
 * data), its stderr, or the planner's refusal.
 */
async function keysWith(config: string, env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-webgpu", printKeys, config],
    cwd: dirname(config),
    env: { CNNLAB_OFFLINE: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  const last = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  let parsed: Keys | { error: string };
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new Error(`the planner printed no JSON (exit ${out.code}): ${last}\n${stderr}`);
  }
  return { code: out.code, stderr, parsed };
}

function keysOf(r: Awaited<ReturnType<typeof keysWith>>): Keys {
  assert.equal(r.code, 0, JSON.stringify(r.parsed) + r.stderr);
  return r.parsed as Keys;
}

Deno.test("a native train stage's key follows the loaded library's build id and thread count; a stale library is rebuilt or refused", async () => {
  const root = await Deno.makeTempDir({ prefix: "cnnlab-native-key-" });
  try {
    const src = join(root, "src");
    await Deno.mkdir(src);
    for (const e of Deno.readDirSync(NATIVE_SOURCE_DIR)) {
      if (e.isFile) await Deno.copyFile(join(NATIVE_SOURCE_DIR, e.name), join(src, e.name));
    }
    const lib = join(root, "libcopy.so");
    await Deno.copyFile(defaultLibraryPath(), lib);
    const config = join(root, "keys.yaml");
    await Deno.writeTextFile(config, CONFIG);
    await writeIdxFixture(join(root, "data", "mnist"), { train: 400, test: 50, side: 28 });
    const env = { CNNLAB_NATIVE_SRC: src, CNNLAB_NATIVE_LIB: lib, CNNLAB_THREADS: "2" };

    const built = readLibraryBuildId(lib)!;
    assert.equal(built, await nativeSourceBuildId(src), "the copy matches the library");
    const base = keysOf(await keysWith(config, env));
    assert.deepEqual(base["train:small"].runtime.backend, `native@${built}`);
    assert.equal(base["train:small"].runtime.threads, 2);
    assert.deepEqual(base["evaluate:small"].runtime, base["train:small"].runtime);

    // Another thread count: same build, other key (1 and 2 threads give other last bits).
    const one = keysOf(await keysWith(config, { ...env, CNNLAB_THREADS: "1" }));
    assert.equal(one["train:small"].runtime.backend, `native@${built}`);
    assert.equal(one["train:small"].runtime.threads, 1);
    assert.notEqual(one["train:small"].key, base["train:small"].key);
    assert.notEqual(one["evaluate:small"].key, base["evaluate:small"].key);
    assert.equal(one["data:mnist"].key, base["data:mnist"].key, "data does not run on native");

    // A comment in a kernel source: the library is rebuilt, the stage keyed with the new build.
    await Deno.writeTextFile(join(src, "conv.cpp"), "// edited\n", { append: true });
    const edited = await nativeSourceBuildId(src);
    assert.notEqual(edited, built);
    const rebuilt = await keysWith(config, env);
    const after = keysOf(rebuilt);
    assert.match(rebuilt.stderr, /was built from other sources or flags.*rebuilding with/);
    assert.equal(readLibraryBuildId(lib), edited, "the library now carries the new build");
    assert.equal(after["train:small"].runtime.backend, `native@${edited}`);
    assert.notEqual(after["train:small"].key, base["train:small"].key);
    assert.notEqual(after["evaluate:small"].key, base["evaluate:small"].key);
    assert.equal(after["data:mnist"].key, base["data:mnist"].key);

    // A flags change whose rebuild fails: the stale library is refused, never keyed or used.
    await Deno.writeTextFile(join(src, "build_flags.txt"), "--no-such-flag\n", { append: true });
    const refused = await keysWith(config, env);
    assert.equal(refused.code, 2);
    assert.match(
      (refused.parsed as { error: string }).error,
      /^Cannot use backend 'native': Cannot use the native backend as .*libcopy\.so was built from other sources or flags .* and rebuilding it failed \(.*no-such-flag.*\): fix that, then run 'bash tasks\/backends\/native\/build_native\.sh --out .*libcopy\.so --src .*'/,
    );
    assert.equal(readLibraryBuildId(lib), edited, "the failed rebuild left the library as it was");
    // With `auto`, the stage falls to wasm rather than keying the stale native build.
    await Deno.writeTextFile(config, CONFIG.replace("backend: native", "backend: auto"));
    const auto = keysOf(await keysWith(config, env));
    assert.equal(auto["train:small"].runtime.backend, "wasm");
    assert.equal(auto["train:small"].runtime.threads, undefined, "no thread fact on wasm");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

async function pipeline(cwd: string, args: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-webgpu", cli, ...args, "--cache-dir", join(cwd, "cache")],
    cwd,
    env: { CNNLAB_OFFLINE: "1", CNNLAB_PROBE_SECONDS: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code, out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
}

/** Every train.json under the cache, parsed. */
function trainRecords(dir: string): { provenance: Record<string, unknown> }[] {
  const found: { provenance: Record<string, unknown> }[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) found.push(...trainRecords(path));
    else if (e.name === "train.json") found.push(JSON.parse(Deno.readTextFileSync(path)));
  }
  return found;
}

Deno.test("--jobs 2 gives each stage process floor(cores / 2) threads, records them in train.json, and keeps a user's CNNLAB_THREADS", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "cnnlab-jobs-threads-" });
  try {
    await writeIdxFixture(join(cwd, "data", "mnist"), { train: 400, test: 50, side: 28 });
    const config = join(cwd, "threads.yaml");
    await Deno.writeTextFile(
      config,
      CONFIG.replace(
        "experiments: { small: {} }",
        "experiments: { a: {}, b: { train: { lr: 0.001 } } }",
      ),
    );
    // The user's environment must not decide this test's thread count.
    const env = { CNNLAB_THREADS: "" };
    const cores = navigator.hardwareConcurrency;
    const share = Math.max(1, Math.floor(cores / 2));
    const run = await pipeline(cwd, ["run", config, "--jobs", "2", "--yes"], env);
    assert.equal(run.code, 0, run.out);
    assert.ok(
      run.out.includes(
        `--jobs 2 on ${cores} cores: each stage process gets CNNLAB_THREADS=${share}`,
      ),
      run.out,
    );
    const records = trainRecords(join(cwd, "cache"));
    assert.equal(records.length, 2, "two train stages ran");
    for (const r of records) {
      const runtime = r.provenance.runtime as { backend: string; threads: number };
      assert.match(runtime.backend, /^native@[0-9a-f]{64}$/);
      assert.equal(runtime.threads, share, "the key's thread count");
      // What the stage process itself loaded the library with.
      assert.match(String(r.provenance.backend_detail), new RegExp(`\\b${share} threads$`));
    }
    // The same command is fresh; a user's own thread count is kept and, differing, reruns.
    const again = await pipeline(cwd, ["status", config, "--jobs", "2"], env);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /^train:a\s+fresh/m);
    const other = String(share === 1 ? 2 : 1);
    const mine = await pipeline(cwd, ["status", config, "--jobs", "2"], { CNNLAB_THREADS: other });
    assert.equal(mine.code, 0, mine.out);
    assert.ok(!mine.out.includes("each stage process gets"), mine.out);
    assert.match(
      mine.out,
      new RegExp(`^train:a\\s+will run.*runtime threads ${share} → ${other}`, "m"),
    );
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
