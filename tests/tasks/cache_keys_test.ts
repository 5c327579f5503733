/**
 * Issue 11's acceptance on the real project: each stage's key holds exactly the code its params
 * select, the data stage's key holds where the files are and what they hold, and the shipped
 * configs plan together.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { planPipeline } from "../../pipelines/graph/plan_pipeline.ts";
import type { PlannedStage } from "../../pipelines/graph/stage_graph.ts";
import { familyModule, MODEL_NAMES } from "../../tasks/models/model_families.ts";
import { project } from "../../tasks/project.ts";
import { writeIdxFixture } from "../fixtures/datasets/make_fixtures.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(repo, "tasks/cli.ts");

/** The stage's code files, relative to the repository. */
function codeFiles(stage: PlannedStage): string[] {
  const base = dirname(fileURLToPath(stage.node.module));
  return Object.keys(stage.code).map((f) => relative(repo, join(base, f))).sort();
}

async function plan(yaml: string) {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-keys-" });
  try {
    const config = join(dir, "keys.yaml");
    await Deno.writeTextFile(config, yaml);
    const { stages } = await planPipeline(project, [config], { cacheDir: join(dir, "cache") });
    return (id: string) => stages.find((s) => s.ids.includes(id))!;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a train stage's code is the training core, its model family and its backend: nothing else", async () => {
  const stage = await plan(`
defaults: { data: { dataset: mnist }, train: { epochs: 1 } }
experiments:
  lenet: { model: { name: lenet }, backend: native }
  dense: { model: { name: densenet }, backend: wasm }
`);
  const lenet = codeFiles(stage("train:lenet"));
  const dense = codeFiles(stage("train:dense"));
  for (
    const file of [
      "tasks/models/lenet.ts",
      "tasks/backends/start_native.ts",
      "tasks/backends/native/_conv_kernels.ts",
      "tasks/train/train_model.ts",
      "tasks/stages/train_stage.ts",
    ]
  ) {
    assert.ok(lenet.includes(file), `train:lenet runs ${file}`);
  }
  for (
    const file of [
      "tasks/models/densenet.ts",
      "tasks/models/vgg.ts",
      "tasks/models/model_families.ts",
      "tasks/backends/wasm/conv2d_backprop_filter.ts",
      "tasks/backends/start_wasm.ts",
      "tasks/datasets/read_tiny_imagenet.ts",
      "tasks/datasets/dataset_catalog.ts",
      "tasks/datasets/download_file.ts",
    ]
  ) {
    assert.ok(!lenet.includes(file), `train:lenet does not run ${file}`);
  }
  assert.ok(dense.includes("tasks/models/densenet.ts"));
  assert.ok(dense.includes("tasks/backends/wasm/conv2d_backprop_filter.ts"));
  assert.ok(!dense.some((f) => f.startsWith("tasks/backends/native/")), "no native code on wasm");
  assert.ok(!dense.includes("tasks/models/lenet.ts"));
  const families = new Set(
    MODEL_NAMES.map((name) => relative(repo, fileURLToPath(familyModule(name)))),
  );
  assert.deepEqual(
    codeFiles(stage("evaluate:lenet")).filter((f) => families.has(f)),
    ["tasks/models/lenet.ts"],
    "of all family files, evaluate:lenet runs only its own",
  );
  for (const id of ["train:lenet", "evaluate:lenet", "train:dense", "data:mnist", "report:keys"]) {
    assert.deepEqual(stage(id).untracked, [], `${id} is fully tracked`);
  }
  assert.match(
    String((stage("train:lenet").runtime as { backend: string }).backend),
    /^native@[0-9a-f]{64}$/,
  );
  assert.equal((stage("train:dense").runtime as { backend: string }).backend, "wasm");
});

Deno.test("a data stage's code is its data set's reader: not the others, not the catalog of mirrors", async () => {
  const stage = await plan(`
defaults: { model: { name: lenet } }
experiments:
  digits: { data: { dataset: mnist } }
  clothes: { data: { dataset: fashion-mnist } }
`);
  for (const id of ["data:mnist", "data:fashion-mnist"]) {
    const code = codeFiles(stage(id));
    assert.ok(code.includes("tasks/datasets/read_idx_source.ts"), id);
    for (
      const file of [
        "tasks/datasets/read_tiny_imagenet.ts",
        "tasks/datasets/read_cifar10.ts",
        "tasks/datasets/dataset_catalog.ts",
        "tasks/datasets/resolve_source.ts",
      ]
    ) {
      assert.ok(!code.includes(file), `${id} does not run ${file}`);
    }
    const params = stage(id).params as { source: { kind: string } };
    assert.notEqual(params.source.kind, "download", `${id} is found locally here`);
    assert.ok(!JSON.stringify(params).includes("http"), `${id}'s key holds no mirror URL`);
  }
});

async function pipeline(cwd: string, config: string, env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-webgpu", cli, "run", config, "--cache-dir", join(cwd, "cache")],
    cwd,
    // The source each run finds is the test's choice, not the caller's CNNLAB_DATA.
    env: { CNNLAB_OFFLINE: "1", CNNLAB_DATA: "", ...env },
    clearEnv: false,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const out = decoder.decode(stdout) + decoder.decode(stderr);
  const rows = out.split("\n").map((l) =>
    l.match(/^(\S+:\S+)\s+(run|fresh|restored|failed)\s+\S+$/)
  );
  const outcomes = Object.fromEntries(rows.filter((m) => m !== null).map((m) => [m![1], m![2]]));
  return { code, out, outcomes };
}

Deno.test("switching the data source reruns the data stage; identical files leave the rest fresh, different files rerun it all", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "cnnlab-source-" });
  try {
    const config = join(cwd, "source.yaml");
    await Deno.writeTextFile(
      config,
      `defaults:
  data: { dataset: mnist }
  split: { validation: 0.2, limit: 300, seed: 0 }
  model: { name: lenet, channels: [2], fc_units: [8], activation: relu }
  train: { optimizer: adam, lr: 0.003, batch_size: 100, epochs: 1 }
  evaluate: { batch_size: 2000 }
  backend: wasm
experiments: { small: {} }
`,
    );
    const copy = join(cwd, "copy", "mnist");
    await Deno.mkdir(copy, { recursive: true });
    const shared = join(repo, "..", "shared", "datasets", "mnist");
    for (const entry of Deno.readDirSync(shared)) {
      if (entry.name.endsWith(".gz")) {
        await Deno.copyFile(join(shared, entry.name), join(copy, entry.name));
      }
    }
    const first = await pipeline(cwd, config);
    assert.equal(first.code, 0, first.out);
    assert.equal(first.outcomes["data:mnist"], "run");
    // The same bytes in another folder: only the data stage reruns (its output is identical).
    const moved = await pipeline(cwd, config, { CNNLAB_DATA: join(cwd, "copy") });
    assert.equal(moved.code, 0, moved.out);
    assert.deepEqual(moved.outcomes, {
      "data:mnist": "run",
      "split:mnist:val=0.2,seed=0,limit=300": "fresh",
      "train:small": "fresh",
      "evaluate:small": "fresh",
      "report:source": "fresh",
    }, moved.out);
    // Different files at ./data/mnist (a smaller subset): everything reruns on them.
    await writeIdxFixture(join(cwd, "data", "mnist"), { train: 400, test: 50, side: 28 });
    const subset = await pipeline(cwd, config);
    assert.equal(subset.code, 0, subset.out);
    assert.deepEqual(Object.values(subset.outcomes), Array(5).fill("run"), subset.out);
    assert.match(subset.out, /on 50 images/);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("every shipped config plans together with every other one", async () => {
  const configs = [
    ...[...Deno.readDirSync(join(repo, "configs"))].filter((e) => e.name.endsWith(".yaml"))
      .map((e) => join(repo, "configs", e.name)),
    ...[...Deno.readDirSync(join(repo, "configs/examples"))].filter((e) => e.name.endsWith(".yaml"))
      .map((e) => join(repo, "configs/examples", e.name)),
  ].sort();
  const cacheDir = await Deno.makeTempDir({ prefix: "cnnlab-all-" });
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-webgpu", cli, "status", ...configs, "--cache-dir", cacheDir],
      cwd: repo,
      // Planning is what is tested here: no speed probes of the configs' ~20 models.
      env: { CNNLAB_PROBE_SECONDS: "0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, 0, text);
    assert.match(text, /\d+ fresh, \d+ will restore, \d+ will run$/m);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});
