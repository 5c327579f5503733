import assert from "node:assert/strict";
import type { ExpandedRun, ResolvedConfig, StageNode } from "../../pipelines/types.ts";
import { planStages } from "../../tasks/plan_stages.ts";
import { runSchema } from "../../tasks/run_schema.ts";

function run(name: string, params: Record<string, unknown>): ExpandedRun {
  return { name, experiment: name, seed: 0, params: runSchema.parse(params) as never };
}

function config(runs: ExpandedRun[]): ResolvedConfig {
  return {
    name: "demo",
    path: "configs/demo.yaml",
    hash: "h",
    runs,
    report: {},
    runtime: { backends: { auto: "wasm", cpu: "cpu" }, tfjs: "4.22.0", deno: "2.9.6" },
  };
}

const byKind = (nodes: StageNode[], kind: string) => nodes.filter((n) => n.kind === kind);

Deno.test("planStages() shares one data and one split stage between runs that read the same data", () => {
  const nodes = planStages(config([
    run("lenet", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("vgg", { data: { dataset: "mnist" }, model: { name: "vgg_small" }, train: { lr: 0.01 } }),
  ]));
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

Deno.test("planStages() gives runs with different split params their own split stage", () => {
  const nodes = planStages(config([
    run("a", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("b", { data: { dataset: "mnist" }, split: { fraction: 0.1 }, model: { name: "lenet" } }),
  ]));
  assert.deepEqual(byKind(nodes, "split").map((n) => n.id), [
    "split:mnist:val=0.2,seed=0",
    "split:mnist:val=0.2,seed=0,fraction=0.1",
  ]);
  assert.equal(byKind(nodes, "data").length, 1);
});

Deno.test("planStages() puts the resolved backend into the train and evaluate runtime facts only", () => {
  const nodes = planStages(config([
    run("a", { data: { dataset: "mnist" }, model: { name: "lenet" } }),
    run("b", { data: { dataset: "mnist" }, model: { name: "lenet" }, backend: "cpu" }),
  ]));
  const runtimes = nodes.map((n) => [n.id, n.runtime ?? null]);
  assert.deepEqual(runtimes, [
    ["data:mnist", null],
    ["split:mnist:val=0.2,seed=0", null],
    ["train:a", { backend: "wasm", tfjs: "4.22.0", deno: "2.9.6" }],
    ["evaluate:a", { backend: "wasm", tfjs: "4.22.0", deno: "2.9.6" }],
    ["train:b", { backend: "cpu", tfjs: "4.22.0", deno: "2.9.6" }],
    ["evaluate:b", { backend: "cpu", tfjs: "4.22.0", deno: "2.9.6" }],
    ["report:demo", null],
  ]);
});

Deno.test("planStages() gives the report every run's stages, labels reduced runs and publishes it", () => {
  const nodes = planStages(config([
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
  ]));
  const report = byKind(nodes, "report")[0];
  assert.equal(report.publish, "reports/demo");
  assert.deepEqual(Object.keys(report.inputs), [
    "train:full",
    "evaluate:full",
    "data:full",
    "train:tenth",
    "evaluate:tenth",
    "data:tenth",
    "train:short",
    "evaluate:short",
    "data:short",
  ]);
  const runs = (report.params as { runs: { name: string; reduced?: string }[] }).runs;
  assert.deepEqual(runs.map((r) => [r.name, r.reduced]), [
    ["full", undefined],
    ["tenth", "10 % of the training data"],
    ["short", "2 of 10 epochs, at most 5000 training images"],
  ]);
});
