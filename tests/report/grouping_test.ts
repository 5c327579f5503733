import assert from "node:assert/strict";
import { join } from "node:path";
import { ablationGroups } from "../../tasks/report/ablation_groups.ts";
import { groupBySeed } from "../../tasks/report/group_by_seed.ts";
import { loadRunResults } from "../../tasks/report/load_run_results.ts";
import { rankRuns } from "../../tasks/report/rank_runs.ts";
import { parseReportParams } from "../../tasks/report/report_params.ts";
import { runFlags } from "../../tasks/report/run_flags.ts";
import {
  fixtureParams,
  type FixtureRun,
  STANDARD_RUNS,
  writeFixtureRuns,
} from "./_fixture_runs.ts";

async function load(runs: FixtureRun[]) {
  const root = await Deno.makeTempDir({ prefix: "report-grouping-test-" });
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const params = parseReportParams(fixtureParams(runs));
  const results = await loadRunResults(params.runs, inputs);
  await Deno.remove(root, { recursive: true });
  return results;
}

Deno.test("groupBySeed() puts runs together only when nothing but the seed differs", async () => {
  const results = await load(STANDARD_RUNS);
  const groups = groupBySeed(results);
  assert.deepEqual(
    groups.map((g) => [g.label, g.results.map((r) => r.run.name)]),
    [
      ["lenet", ["lenet-seed=1", "lenet-seed=2", "lenet-seed=3"]],
      ["cnn-conv_dropout=0-fc_dropout=0", ["cnn-conv_dropout=0-fc_dropout=0-seed=1"]],
      ["cnn-conv_dropout=0.2-fc_dropout=0.2", ["cnn-conv_dropout=0.2-fc_dropout=0.2-seed=1"]],
      ["cnn-conv_dropout=0.3-fc_dropout=0.7", ["cnn-conv_dropout=0.3-fc_dropout=0.7-seed=1"]],
      ["alexnet", ["alexnet-seed=1"]],
      ["vgg-lr=0.5", ["vgg-lr=0.5-seed=1"]],
      ["nin", ["nin-seed=1"]],
    ],
  );
});

Deno.test("ablationGroups() groups a sweep's points by value and keeps seeds of a point together", async () => {
  const sweep = (seed: number, fc: number, top1: number): FixtureRun => ({
    name: `resnet-fc_dropout=${fc}-seed=${seed}`,
    experiment: "resnet",
    seed,
    model: "cnn",
    top1,
    epochs: 2,
    sweep: { name: "dropout", values: { "model.fc_dropout": fc } },
    modelParams: { fc_dropout: fc },
  });
  const results = await load([sweep(1, 0.2, 0.5), sweep(1, 0.5, 0.4), sweep(2, 0.2, 0.52)]);
  const groups = ablationGroups(results);
  assert.equal(groups.length, 1);
  assert.equal(groups[0].id, "resnet-dropout");
  assert.deepEqual(groups[0].keys, ["model.fc_dropout"]);
  assert.deepEqual(
    groups[0].points.map((p) => [p.label, p.results.map((r) => r.run.seed)]),
    [["0.2", [1, 2]], ["0.5", [1]]],
  );
});

Deno.test("runFlags() tells diverged, stuck, early-stopped and reduced runs apart", async () => {
  const results = await load([
    ...STANDARD_RUNS.slice(6),
    {
      name: "es",
      experiment: "es",
      seed: 1,
      model: "lenet",
      top1: 0.9,
      epochs: 3,
      plannedEpochs: 10,
      status: "early-stopped",
    },
  ]);
  assert.deepEqual(results.map((r) => runFlags(r)), [
    [{ kind: "reduced", text: "reduced: 2 of 10 epochs, 10 % of training data" }],
    [{ kind: "diverged", text: "diverged in epoch 3, loss NaN at lr 0.5" }],
    [{ kind: "stuck", text: "stuck at chance: test top-1 10.40 % (chance 10.00 %)" }],
    [{ kind: "early-stopped", text: "early-stopped after 3 of 10 epochs" }],
  ]);
  assert.deepEqual(
    runFlags(results[2], { stuckFactor: 1 }),
    [{ kind: "stuck", text: "stuck at chance for a while during training" }],
    "10.4 % is above chance itself, but the train stage saw it stuck",
  );
});

Deno.test("rankRuns() orders best first and puts runs without the metric last", async () => {
  const results = await load(STANDARD_RUNS);
  assert.deepEqual(rankRuns(results, "test_loss").map((r) => r.run.name).slice(-2), [
    "nin-seed=1",
    "vgg-lr=0.5-seed=1",
  ]);
  assert.deepEqual(rankRuns(results, "test_top1").map((r) => r.run.name).slice(0, 2), [
    "alexnet-seed=1",
    "cnn-conv_dropout=0.2-fc_dropout=0.2-seed=1",
  ]);
});
