/**
 * Issue 16.4 on the real project: configs state their assumptions (per run and per config) and
 * the subset the reproduced experiment used; both are read only by the report.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../pipelines/config/config_error.ts";
import { loadConfig } from "../../pipelines/config/load_config.ts";
import { planPipeline } from "../../pipelines/graph/plan_pipeline.ts";
import { project } from "../../tasks/project.ts";
import { evaluateStageParams, trainStageParams } from "../../tasks/plan_stages.ts";

function load(yaml: string) {
  const dir = Deno.makeTempDirSync({ prefix: "cnnlab-assume-" });
  try {
    Deno.writeTextFileSync(join(dir, "a.yaml"), yaml);
    return loadConfig(join(dir, "a.yaml"), project);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.message.replaceAll(`${dir}/`, ""));
    throw error;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const BASE = "defaults: { data: { dataset: mnist }, assumptions: [validation 0.1 assumed] }\n";

Deno.test("assumptions: per experiment (replacing defaults'), per config under report:", () => {
  const config = load(
    BASE + `experiments:
  plain: { model: { name: lenet } }
  sgd:
    model: { name: lenet }
    assumptions: [SGD lr 0.1 assumed, "  momentum 0.9 assumed  "]
report:
  assumptions: [step schedule assumed]
`,
  );
  const params = Object.fromEntries(config.runs.map((r) => [r.name, r.params]));
  assert.deepEqual(params.plain.assumptions, ["validation 0.1 assumed"]);
  assert.deepEqual(params.sgd.assumptions, ["SGD lr 0.1 assumed", "momentum 0.9 assumed"]);
  assert.deepEqual((config.report as { assumptions: string[] }).assumptions, [
    "step schedule assumed",
  ]);
  // Neither list is a train or evaluate param: stating an assumption retrains nothing.
  const { assumptions: _, ...rest } = params.sgd;
  assert.deepEqual(trainStageParams(params.sgd), trainStageParams({ ...rest }));
  assert.ok(!JSON.stringify(trainStageParams(params.sgd)).includes("assumed"));
  assert.ok(!JSON.stringify(evaluateStageParams(params.sgd)).includes("assumed"));
});

Deno.test("assumptions that are not lists of text are rejected at their key path", () => {
  assert.throws(
    () =>
      load(
        BASE + "experiments:\n  lenet:\n    model: { name: lenet }\n    assumptions: batch 64\n",
      ),
    {
      message:
        `Cannot read a.yaml:5:18 as 'assumptions' must be a list: current value is "batch 64" (run 'lenet')`,
    },
  );
  assert.throws(
    () =>
      load(
        BASE + "experiments:\n  lenet:\n    model: { name: lenet }\n    assumptions: [ok, ' ']\n",
      ),
    {
      message: "Cannot read a.yaml:5:23 as 'assumptions[1]' must have at least 1 character: " +
        `current value is " " (run 'lenet')`,
    },
  );
  assert.throws(
    () =>
      load(
        BASE + "experiments:\n  lenet: { model: { name: lenet } }\nreport:\n  assumptions: [3]\n",
      ),
    {
      message:
        "Cannot read a.yaml:5:17 as 'report.assumptions[0]' must be a string: current value is 3",
    },
  );
});

Deno.test("reference_fraction must be in (0, 1]", () => {
  assert.throws(
    () => load(BASE + "experiments:\n  lenet: { model: { name: lenet }, reference_fraction: 0 }\n"),
    {
      message:
        "Cannot read a.yaml:3:56 as 'reference_fraction' must be a positive number: current " +
        "value is 0 (run 'lenet')",
    },
  );
  assert.throws(
    () =>
      load(BASE + "experiments:\n  lenet: { model: { name: lenet }, reference_fraction: 1.5 }\n"),
    /a\.yaml:3:56 as 'reference_fraction' must be at most 1/,
  );
});

const repo = new URL("../../", import.meta.url).pathname;

Deno.test("mnist-lab.yaml: the report's 10 % subsets are not reduced; SGD vs Adam for every model", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "cnnlab-assume-" });
  try {
    const { stages } = await planPipeline(project, [join(repo, "configs/mnist-lab.yaml")], {
      cacheDir,
    });
    const report = stages.find((s) => s.kind === "report")!;
    const runs = (report.params as { runs: { name: string; reduced?: string }[] }).runs;
    assert.deepEqual(runs.map((r) => r.name), [
      "lenet-optimizer=adam",
      "lenet-optimizer=sgd",
      "alexnet-lr=0.001",
      "alexnet-lr=0.01",
      "alexnet-optimizer=adam",
      "alexnet-optimizer=sgd",
      "resnet-lr=0.001",
      "resnet-lr=0.01",
      "resnet-optimizer=adam",
      "resnet-optimizer=sgd",
      "vgg11-optimizer=adam",
      "vgg11-optimizer=sgd",
    ]);
    assert.deepEqual(runs.filter((r) => r.reduced), []);
    const options = (report.params as { options: { assumptions: string[] } }).options;
    assert.ok(options.assumptions.some((a) => a.startsWith("batch size 64 and 5 epochs")));
    // The Adam point of the optimizer sweep is the lr sweep's lr=0.001 run: one stage.
    const train = stages.find((s) => s.ids.includes("train:alexnet-optimizer=adam"))!;
    assert.ok(train.ids.includes("train:alexnet-lr=0.001"));
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("mnist-all.yaml: the lab's LeNet and DenseNet, and the LeNet lr trail as a sweep", () => {
  const config = loadConfig(join(repo, "configs/mnist-all.yaml"), project);
  const lenets = config.runs.filter((r) => r.experiment === "lenet");
  assert.deepEqual(
    lenets.map((r) => [r.name, r.params.train.lr, r.params.train.epochs]),
    [
      ["lenet-lr=0.004-epochs=10", 0.004, 10],
      ["lenet-lr=0.0001-epochs=10", 0.0001, 10],
      ["lenet-lr=0.0001-epochs=20", 0.0001, 20],
    ],
  );
  const model = (run: { params: { model: unknown } }) =>
    run.params.model as Record<string, unknown>;
  assert.deepEqual(model(lenets[0]).norm_order, ["norm_act", "act_norm"]);
  assert.equal(model(lenets[0]).fc_dropout_at, "output");
  const densenet = config.runs.find((r) => r.experiment === "densenet")!;
  assert.equal(model(densenet).train_dense_layers, false);
  const refs = (config.report as { references: Record<string, { top1: number }> }).references;
  assert.deepEqual(lenets.map((r) => refs[r.name].top1), [0.9812, 0.9838, 0.9862]);
  assert.ok((config.report as { assumptions: string[] }).assumptions.length >= 4);
});
