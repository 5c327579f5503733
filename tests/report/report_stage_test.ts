import assert from "node:assert/strict";
import { join } from "node:path";
import type { ReportParamsInput } from "../../tasks/report/report_params.ts";
import { run } from "../../tasks/stages/report_stage.ts";
import { stageContext } from "../_stage_harness.ts";
import { fixtureParams, STANDARD_RUNS, writeFixtureRuns } from "./_fixture_runs.ts";

async function context(root: string, params: unknown, inputs: Record<string, string>) {
  const outDir = join(root, "out");
  await Deno.mkdir(outDir, { recursive: true });
  const { ctx, logs, progress } = await stageContext(params as ReportParamsInput, {
    outDir,
    workDir: join(root, "work"),
    inputs,
  });
  return { ctx, lines: logs, progress };
}

Deno.test("the report stage writes the report into outDir and logs what it wrote", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-stage-test-" });
  const runs = STANDARD_RUNS.slice(0, 4);
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const { ctx, lines, progress } = await context(root, fixtureParams(runs), inputs);
  await run(ctx);
  const entries = [...Deno.readDirSync(ctx.outDir)].map((e) => e.name).sort();
  assert.deepEqual(entries, ["charts", "metrics", "report.html", "report.md", "run-info.json"]);
  assert.deepEqual(lines, [
    "rendered 7 charts and 2 figures",
    "wrote report.md, report.html and metrics for 4 runs",
  ]);
  assert.deepEqual(progress.at(-1), { done: 9, total: 9, unit: "charts", note: "samples" });
  await Deno.remove(root, { recursive: true });
});

Deno.test("the report stage names the invalid param and the missing input", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-stage-test-" });
  const runs = STANDARD_RUNS.slice(0, 1);
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const params = fixtureParams(runs, { rank_by: "accuracy", colour: "red" });
  const bad = await context(root, params, inputs);
  await assert.rejects(() => run(bad.ctx), {
    message:
      "Cannot build the report as its params are invalid: options.rank_by: Invalid option: " +
      'expected one of "val_top1"|"val_loss"|"test_top1"|"test_top5"|"test_loss"; ' +
      'options: Unrecognized key: "colour"',
  });
  const missing = await context(root, fixtureParams(runs), {
    "train:lenet-seed=1": inputs["train:lenet-seed=1"],
  });
  await assert.rejects(() => run(missing.ctx), {
    message:
      "Cannot build the report as run 'lenet-seed=1' has no 'evaluate:lenet-seed=1' input: " +
      "the inputs are train:lenet-seed=1",
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("the report stage names the run and file when a metrics file is malformed", async () => {
  const root = await Deno.makeTempDir({ prefix: "report-stage-test-" });
  const runs = STANDARD_RUNS.slice(0, 1);
  const inputs = await writeFixtureRuns(join(root, "in"), runs);
  const metricsPath = join(inputs["evaluate:lenet-seed=1"], "metrics.json");
  const metrics = JSON.parse(await Deno.readTextFile(metricsPath));
  await Deno.writeTextFile(metricsPath, JSON.stringify({ ...metrics, top1: "high" }));
  const { ctx } = await context(root, fixtureParams(runs), inputs);
  await assert.rejects(() => run(ctx), {
    message:
      `Cannot read ${metricsPath} of run 'lenet-seed=1': top1: Invalid input: expected number, received string`,
  });
  await Deno.remove(join(inputs["train:lenet-seed=1"], "history.json"));
  await assert.rejects(() => run(ctx), {
    message: `Cannot read ${
      join(inputs["train:lenet-seed=1"], "history.json")
    } of run 'lenet-seed=1' as it does not exist`,
  });
  await Deno.remove(root, { recursive: true });
});
