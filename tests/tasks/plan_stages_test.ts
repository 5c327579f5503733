import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { ExpandedRun, ResolvedConfig, StageNode } from "../../pipelines/types.ts";
import { loadConfig } from "../../pipelines/config/load_config.ts";
import { parseOverride } from "../../pipelines/config/command_line_override.ts";
import { planStages } from "../../tasks/plan_stages.ts";
import { project } from "../../tasks/project.ts";
import { type RunParams, runSchema } from "../../tasks/run_schema.ts";
import type { RuntimeFacts } from "../../tasks/runtime_facts.ts";
import type { DataStageParams } from "../../tasks/stages/stage_params.ts";

function run(name: string, params: Record<string, unknown>): ExpandedRun<RunParams> {
  return { name, experiment: name, seed: 0, params: runSchema.parse(params) };
}

const FACTS: RuntimeFacts = {
  backends: {
    auto: { name: "native", id: "native@0123456789abcdef" },
    cpu: { name: "cpu", id: "cpu" },
  },
  tfjs: "4.22.0",
  deno: "2.9.6",
};

function config(runs: ExpandedRun<RunParams>[]): ResolvedConfig<RunParams, RuntimeFacts> {
  return { name: "demo", path: "configs/demo.yaml", hash: "h", runs, report: {}, runtime: FACTS };
}

/** Plans with a throwaway cache folder (the data stage's file digests are remembered there). */
async function plan(runs: ExpandedRun<RunParams>[]): Promise<StageNode[]> {
  const cacheDir = await Deno.makeTempDir({ prefix: "cnnlab-plan-" });
  try {
    return await planStages(config(runs), { cacheDir });
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
}

const byKind = (nodes: StageNode[], kind: string) => nodes.filter((n) => n.kind === kind);
const file = (url: URL | undefined) => url && fileURLToPath(url).split("/tasks/")[1];

Deno.test("planStages() shares one data and one split stage between runs that read the same data", async () => {
  const nodes = await plan([
    run("lenet", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("vgg", { data: { dataset: "mnist" }, model: { name: "vgg_small" }, train: { lr: 0.01 } }),
  ]);
  assert.deepEqual(nodes.map((n) => n.id), [
    "data:mnist",
    "split:mnist:val=0.2,seed=0",
    "train:lenet",
    "evaluate:lenet",
    "train:vgg",
    "evaluate:vgg",
    "report:demo",
  ]);
  const [trainLenet, trainVgg] = byKind(nodes, "train");
  assert.equal(trainLenet.inputs.split, trainVgg.inputs.split);
  assert.equal(trainLenet.inputs.data, byKind(nodes, "data")[0]);
  assert.equal(byKind(nodes, "evaluate")[1].inputs.train, trainVgg);
});

Deno.test("planStages() hands each stage exactly the code its params select", async () => {
  const nodes = await plan([
    run("lenet", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("vgg", { data: { dataset: "mnist" }, model: { name: "vgg_small" }, backend: "cpu" }),
  ]);
  const uses = nodes.map((n) => [
    n.id,
    Object.fromEntries(Object.entries(n.uses ?? {}).map(([k, v]) => [k, file(v)])),
  ]);
  assert.deepEqual(uses, [
    ["data:mnist", { reader: "datasets/read_idx_source.ts" }],
    ["split:mnist:val=0.2,seed=0", {}],
    ["train:lenet", { family: "models/lenet.ts", backend: "backends/start_native.ts" }],
    ["evaluate:lenet", { family: "models/lenet.ts", backend: "backends/start_native.ts" }],
    ["train:vgg", { family: "models/vgg.ts", backend: "backends/start_cpu.ts" }],
    ["evaluate:vgg", { family: "models/vgg.ts", backend: "backends/start_cpu.ts" }],
    ["report:demo", {}],
  ]);
});

Deno.test("planStages() keys the data stage on where the files are and what they hold", async () => {
  const nodes = await plan([run("a", { data: { dataset: "mnist" }, model: { name: "lenet" } })]);
  const params = byKind(nodes, "data")[0].params as DataStageParams;
  assert.equal(params.dataset, "mnist");
  assert.equal(params.source.kind, "system");
  assert.match(params.source.location, /shared\/datasets\/mnist$/);
  assert.ok("digest" in params.source);
  assert.deepEqual(params.source.digest, {
    files: {
      "t10k-images-idx3-ubyte.gz":
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
      "t10k-labels-idx1-ubyte.gz":
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
      "train-images-idx3-ubyte.gz":
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
      "train-labels-idx1-ubyte.gz":
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    },
  });
  assert.equal(params.known.length, 4);
});

Deno.test("planStages() gives runs with different split params their own split stage", async () => {
  const nodes = await plan([
    run("a", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("b", { data: { dataset: "mnist" }, split: { fraction: 0.1 }, model: { name: "lenet" } }),
  ]);
  assert.deepEqual(byKind(nodes, "split").map((n) => n.id), [
    "split:mnist:val=0.2,seed=0",
    "split:mnist:val=0.2,seed=0,fraction=0.1",
  ]);
  assert.equal(byKind(nodes, "data").length, 1);
});

Deno.test("planStages() puts the resolved backend into the train and evaluate runtime facts, the CJK font into the report's", async () => {
  const nodes = await plan([
    run("a", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("b", { data: { dataset: "mnist" }, model: { name: "lenet" }, backend: "cpu" }),
  ]);
  const runtimes = nodes.filter((n) => n.kind !== "report").map((n) => [n.id, n.runtime ?? null]);
  const native = { backend: "native@0123456789abcdef", tfjs: "4.22.0", deno: "2.9.6" };
  assert.deepEqual(runtimes, [
    ["data:mnist", null],
    ["split:mnist:val=0.2,seed=0", null],
    ["train:a", native],
    ["evaluate:a", native],
    ["train:b", { backend: "cpu", tfjs: "4.22.0", deno: "2.9.6" }],
    ["evaluate:b", { backend: "cpu", tfjs: "4.22.0", deno: "2.9.6" }],
  ]);
  // The report's charts use a system CJK font: its digest is the report's one runtime fact.
  const report = nodes.find((n) => n.kind === "report")!;
  assert.match(
    String((report.runtime as { cjk_font: string }).cjk_font),
    /^([0-9a-f]{64}|missing)$/,
  );
});

Deno.test("planStages() gives the report every run's stages, labels reduced runs and publishes it", async () => {
  const nodes = await plan([
    run("full", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("tenth", {
      data: { dataset: "mnist" },
      split: { fraction: 0.1 },
      model: { name: "lenet" },
    }),
    run("short", {
      data: { dataset: "mnist" },
      split: { limit: 5000 },
      model: { name: "lenet" },
      train: { epochs: 2 },
      reference_epochs: 10,
    }),
  ]);
  const report = byKind(nodes, "report")[0];
  assert.equal(report.publish, "reports/demo");
  assert.deepEqual(Object.keys(report.inputs), [
    "train:full",
    "evaluate:full",
    "data:mnist",
    "train:tenth",
    "evaluate:tenth",
    "train:short",
    "evaluate:short",
  ]);
  // One data input for the three runs that share the data stage, named in each run.
  assert.equal(report.inputs["data:mnist"], byKind(nodes, "data")[0]);
  const runs = (report.params as { runs: { name: string; data: string; reduced?: string }[] })
    .runs;
  assert.deepEqual(runs.map((r) => [r.name, r.data, r.reduced]), [
    ["full", "data:mnist", undefined],
    ["tenth", "data:mnist", "10 % of the training data"],
    ["short", "data:mnist", "2 of 10 epochs, at most 5000 training images"],
  ]);
});

Deno.test("planStages() leaves a skipped run's stages out and hands its reason to the report", async () => {
  const nodes = await plan([
    run("lenet", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("mobilenet", {
      data: { dataset: "mnist" },
      model: { name: "mobilenet_v1" },
      skip: "  not run here: ~9 h on 2 cores  ",
    }),
  ]);
  assert.deepEqual(nodes.map((n) => n.id).filter((id) => id.includes("mobilenet")), []);
  const report = byKind(nodes, "report")[0];
  const params = report.params as { runs: { name: string }[]; not_run: unknown };
  assert.deepEqual(params.runs.map((r) => r.name), ["lenet"]);
  assert.deepEqual(params.not_run, [
    { name: "mobilenet", experiment: "mobilenet", reason: "not run here: ~9 h on 2 cores" },
  ]);
  await assert.rejects(
    plan([run("a", { data: { dataset: "mnist" }, model: { name: "lenet" }, skip: "slow" })]),
    /Cannot plan config 'demo' as every run has a skip: reason/,
  );
  assert.throws(
    () => runSchema.parse({ data: { dataset: "mnist" }, model: { name: "lenet" }, skip: " " }),
    /give the reason the run is skipped/,
  );
});

Deno.test("planStages(): a run on the same subset its reference used is not reduced (reference_fraction)", async () => {
  const tenth = { data: { dataset: "mnist" }, split: { fraction: 0.1 }, model: { name: "lenet" } };
  const nodes = await plan([
    run("as-lab", { ...tenth, reference_fraction: 0.1 }),
    run("less", { ...tenth, split: { fraction: 0.05 }, reference_fraction: 0.1 }),
    run("unstated", tenth),
  ]);
  const runs = (byKind(nodes, "report")[0].params as { runs: { name: string; reduced?: string }[] })
    .runs;
  assert.deepEqual(runs.map((r) => [r.name, r.reduced]), [
    ["as-lab", undefined],
    ["less", "5 % of the training data (the reference used 10 %)"],
    ["unstated", "10 % of the training data"],
  ]);
  // The train stage does not see it: the same subset trains once whatever the reference says.
  const [asLab, , unstated] = byKind(nodes, "train");
  assert.deepEqual(asLab.params, unstated.params);
});

Deno.test("a skip or an assumption given on the command line keeps the run's name; a training override renames it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-skip-name-" });
  try {
    const file = `${dir}/names.yaml`;
    await Deno.writeTextFile(
      file,
      "defaults: { data: { dataset: mnist } }\nexperiments:\n  a: { model: { name: lenet } }\n  b: { model: { name: lenet } }\n",
    );
    const names = (overrides: string[]) =>
      loadConfig(file, project, { overrides: overrides.map(parseOverride) }).runs.map((r) => [
        r.name,
        (r.params as RunParams).skip,
      ]);
    assert.deepEqual(names(['b.skip="too slow here"', 'assumptions=["lr as the lab"]']), [
      ["a", undefined],
      ["b", "too slow here"],
    ]);
    assert.deepEqual(names(["b.train.lr=0.1"]), [["a", undefined], ["b-lr=0.1", undefined]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
