import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { runCli } from "../../pipelines/cli/cli.ts";
import { pipelineProgressReporter } from "../../pipelines/cli/pipeline_progress.ts";
import type { Reporter } from "../../pipelines/cli/progress_reporter.ts";
import { silentReporter } from "../../pipelines/cli/progress_reporter.ts";
import type { PlannedStage } from "../../pipelines/graph/stage_graph.ts";
import type { StageEstimate } from "../../pipelines/types.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";
import { createSandbox, TWO_RUNS } from "./_sandbox.ts";

/** The estimate table under `status`: stage → [estimate, based on]. */
function estimates(out: string): Record<string, [string, string]> {
  const start = out.split("\n").findIndex((l) => /^stage\s+estimate\s+based on$/.test(l));
  if (start < 0) return {};
  const rows: Record<string, [string, string]> = {};
  for (const line of out.split("\n").slice(start + 2)) {
    const cells = line.split(/\s{2,}/);
    if (cells.length === 3) rows[cells[0]] = [cells[1], cells[2]];
  }
  return rows;
}

Deno.test("status estimates each stage that will run: unknown at first, then from the last run of that stage", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const first = await box.run(["status", config]);
  assert.deepEqual(estimates(first.out)["train:a"], ["?", "no earlier run"]);
  assert.match(first.out, /\nestimated time: unknown for 7 stages \(no earlier run to go by\)$/);
  await box.run(["run", config]);
  box.edit("two.yaml", (t) => t.replace("lr: 0.2", "lr: 0.25"));
  const second = await box.run(["status", config]);
  const rows = estimates(second.out);
  assert.deepEqual(Object.keys(rows), ["train:b", "evaluate:b", "report:two"]);
  assert.deepEqual(rows["train:b"], ["~0.0 s", "last run of train:b"]);
  assert.match(second.out, /\nestimated time: ~0\.\d s for 3 stages$/);
});

Deno.test("a project's own estimates are shown, summed, and a run above the threshold asks first", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const fake = createFakeProject({ stageDir: pathToFileURL(box.stages + "/") });
  const project = {
    ...fake,
    estimate: (node: { kind: string; id: string }): Promise<StageEstimate | undefined> =>
      Promise.resolve(
        node.kind === "train"
          ? { seconds: 3000, basis: `1,000 images/s for ${node.id}` }
          : undefined,
      ),
  };
  const out: string[] = [];
  const err: string[] = [];
  const io = (ask?: (q: string) => boolean) => ({
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
    reporter: silentReporter,
    ask,
  });
  assert.equal(await runCli(project, ["status", config, "--cache-dir", box.cache], io()), 0);
  assert.deepEqual(estimates(out.join("\n"))["train:a"], ["~50:00", "1,000 images/s for train:a"]);
  assert.match(
    out.join("\n"),
    /estimated time: ~1:40:00 for 7 stages \(\+5 without an estimate\)$/,
  );

  const questions: string[] = [];
  const declined = await runCli(
    project,
    ["run", config, "--cache-dir", box.cache],
    io((q) => {
      questions.push(q);
      return false;
    }),
  );
  assert.equal(declined, 1);
  assert.deepEqual(questions, [
    "This run is estimated at ~1:40:00 for 7 stages (+5 without an estimate) (longest: train:a 50:00, train:b 50:00). Start it?",
  ]);
  assert.equal(err.at(-1), "Not started: the run was declined (--yes skips the question)");
  assert.throws(() => Deno.statSync(`${box.cache}/entries`), Deno.errors.NotFound);

  const yes = await runCli(
    project,
    ["run", config, "--yes", "--cache-dir", box.cache],
    io(() => {
      throw new Error("--yes must not ask");
    }),
  );
  assert.equal(yes, 0);
  assert.ok(
    err.includes("7 stages to run, estimated ~1:40:00 for 7 stages (+5 without an estimate)"),
  );
});

Deno.test("the pipeline reporter numbers the stages and adds the whole pipeline's ETA to each bar", () => {
  const stage = (id: string) => ({ id }) as PlannedStage;
  const [a, b, c] = [stage("train:a"), stage("evaluate:a"), stage("report:x")];
  const seen: string[] = [];
  const inner: Reporter = {
    log: (s, line) => seen.push(`log [${s}] ${line}`),
    progress: (s, u) => seen.push(`progress [${s}] ${u.done}/${u.total} ${u.note}`),
    done: (s) => seen.push(`done [${s}]`),
  };
  let now = 0;
  const reporter = pipelineProgressReporter(inner, {
    stages: [a, b, c],
    estimates: new Map([[a, { seconds: 100, basis: "" }], [b, { seconds: 20, basis: "" }]]),
    now: () => now,
  });
  reporter.log("train:a", "running");
  reporter.progress("train:a", { done: 0, total: 10, unit: "batch" });
  now = 30_000;
  reporter.progress("train:a", { done: 5, total: 10, unit: "batch", note: "epoch 1/2" });
  reporter.done("train:a");
  reporter.log("evaluate:a", "running");
  now = 40_000;
  reporter.progress("evaluate:a", { done: 1, total: 2, unit: "image" });
  assert.deepEqual(seen, [
    "log [1/3 train:a] running",
    // No rate yet: the estimates of everything left (100 + 20 s), the report unknown.
    "progress [1/3 train:a] 0/10 pipeline ETA 2:00+?",
    // 5 batches in 30 s: 30 s left of train:a, then evaluate:a's 20 s.
    "progress [1/3 train:a] 5/10 epoch 1/2 · pipeline ETA 0:50+?",
    "done [1/3 train:a]",
    "log [2/3 evaluate:a] running",
    "progress [2/3 evaluate:a] 1/2 pipeline ETA 0:10+?",
  ]);
});
