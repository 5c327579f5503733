/**
 * Issue 16.4 on the real project: configs state their assumptions (per run and per config) and
 * the subset the reproduced experiment used; both are read only by the report.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../pipelines/config/config_error.ts";
import { loadConfig } from "../../pipelines/config/load_config.ts";
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
