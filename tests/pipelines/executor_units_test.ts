/**
 * The executor layer without a cluster: stage tasks resolved through key pointers, the code
 * check that fails closed, the `executor:` section and its command-line overrides, and the
 * Slurm executor's sbatch arguments, job script and queue parsing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { readKeyPointer } from "../../pipelines/cache/key_pointer.ts";
import { runCli } from "../../pipelines/cli/cli.ts";
import { executorSchema } from "../../pipelines/config/executor_schema.ts";
import { planPipeline } from "../../pipelines/graph/plan_pipeline.ts";
import { executeInProcess } from "../../pipelines/run/execute_stage.ts";
import { runPipeline } from "../../pipelines/run/run_pipeline.ts";
import { runStageTask } from "../../pipelines/run/run_stage_task.ts";
import { stageTask } from "../../pipelines/run/stage_task.ts";
import { jobScript, sbatchArgs } from "../../pipelines/run/slurm/sbatch_args.ts";
import { parseQueue } from "../../pipelines/run/slurm/slurm_commands.ts";
import { jobPaths } from "../../pipelines/run/slurm/slurm_job.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";
import { createSandbox, TWO_RUNS } from "./_sandbox.ts";

const silent = { log() {}, progress() {}, signal: new AbortController().signal };

Deno.test("a stage task handed over before its inputs ran finds them through their keys' pointers, and fails naming an input that never completed", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const project = createFakeProject({ stageDir: pathToFileURL(box.stages + "/") });
  const layout = cacheLayout(box.cache);
  const { stages } = await planPipeline(project, [config], { cacheDir: box.cache });
  const evaluate = stages.find((s) => s.id === "evaluate:a")!;
  const task = stageTask(evaluate, { done: {}, recompute: false, reasons: ["test"] });
  const early = await runStageTask(task, { layout, runJob: executeInProcess, ...silent });
  assert.deepEqual(early, {
    outcome: "failed",
    seconds: early.seconds,
    error: "its input train:a has not completed (no entry for its key)",
  });

  const results = await runPipeline(stages.filter((s) => s.id !== "evaluate:a"), {
    layout,
  }).catch(() => undefined);
  assert.equal(results, undefined, "a plan without evaluate:a's dependents' input is refused");
  const upstream = stages.filter((s) => ["data:digits", "train:a"].includes(s.id));
  const ran = await runPipeline(upstream, { layout });
  assert.deepEqual(ran.map((r) => r.outcome), ["run", "run"]);
  const train = ran.find((r) => r.stage.id === "train:a")!;
  assert.equal(await readKeyPointer(layout, train.stage.key), train.fingerprint);

  const late = await runStageTask(task, { layout, runJob: executeInProcess, ...silent });
  assert.equal(late.outcome, "run");
  const again = await runStageTask(task, { layout, runJob: executeInProcess, ...silent });
  assert.equal(again.outcome, "fresh", "the entry it made is found the next time");
  const all = await runPipeline(stages, { layout });
  assert.equal(all.find((r) => r.stage.id === "evaluate:a")!.outcome, "fresh");
});

Deno.test("a stage whose code changed between planning and running fails closed, naming the file", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const project = createFakeProject({ stageDir: pathToFileURL(box.stages + "/") });
  const layout = cacheLayout(box.cache);
  const { stages } = await planPipeline(project, [config], { cacheDir: box.cache });
  box.edit("stages/train.ts", (text) => text + "\n// edited while the pipeline runs\n");
  const results = await runPipeline(stages, { layout });
  const train = results.find((r) => r.stage.id === "train:a")!;
  assert.equal(train.outcome, "failed");
  assert.equal(
    train.error,
    "Stage train:a (run a) failed: the checkout's code is not what the pipeline was planned with (./train.ts changed): run the pipeline again to plan with the current code",
  );
  assert.equal(results.find((r) => r.stage.id === "data:digits")!.outcome, "run");
  assert.equal(results.find((r) => r.stage.id === "report:two")!.outcome, "skipped");
});

Deno.test("the executor: section is validated with file:line:col, overridden on the command line, and must agree across configs", async () => {
  await using box = await createSandbox();
  const cases: [string, string[], string][] = [
    [
      "executor: { type: pbs }\n",
      [],
      "Cannot read {file}:8:19 as 'executor.type' must be one of 'local', 'slurm': current value is \"pbs\"",
    ],
    [
      'executor: { type: slurm, time: "1:2:3:4" }\n',
      [],
      "Cannot read {file}:8:32 as 'executor.time' must be a Slurm time limit: minutes, HH:MM:SS or D-HH:MM:SS: current value is \"1:2:3:4\"",
    ],
    [
      "executor: { type: slurm, gpus: 1 }\n",
      [],
      "Cannot read {file}:8:26 as 'executor.gpus' is not a known key: did you mean 'cpus_per_task' or 'gres'?",
    ],
    [
      "",
      ["--executor", "pbs"],
      "Cannot parse the command line as --executor must be 'local' or 'slurm': current value is \"pbs\"",
    ],
    [
      "",
      ["--executor", "slurm", "--cpus-per-task", "two"],
      'Cannot parse the command line as --cpus-per-task must be a positive integer: current value is "two"',
    ],
    [
      "",
      ["--mem", "lots"],
      'Cannot parse the command line as --mem must be a Slurm memory size: a number with an optional unit K, M, G or T, e.g. 16G: current value is "lots"',
    ],
    [
      "",
      ["--detach"],
      "Cannot run with --detach as the local executor's stages end with the pipeline: submit them to a cluster with --executor slurm",
    ],
    [
      "executor: { type: slurm }\n",
      ["--executor", "local", "--detach"],
      "Cannot run with --detach as the local executor's stages end with the pipeline: submit them to a cluster with --executor slurm",
    ],
  ];
  for (const [section, args, message] of cases) {
    const file = box.write("c.yaml", TWO_RUNS + section);
    const run = await box.run(["run", file, ...args]);
    assert.equal(run.code, 2, `${section} ${args.join(" ")}: ${run.err.join("\n")}`);
    assert.equal(run.err.at(-1)!.split("\n")[0], message.replace("{file}", file));
  }
  const a = box.write("a.yaml", TWO_RUNS + "executor: { type: slurm, partition: gpu }\n");
  const b = box.write(
    "b.yaml",
    TWO_RUNS.replace("Two runs", "Other") + "name: b\nexecutor: { type: slurm }\n",
  );
  const both = await box.run(["status", a, b]);
  assert.equal(both.code, 2);
  assert.equal(
    both.err.at(-1),
    `Cannot run ${a} and ${b} together as their executor: sections differ: give them the same one, or choose on the command line with --executor`,
  );
});

Deno.test("sbatchArgs() asks for the configured resources for heavy stages, the light ones for light stages, after the inputs' jobs", () => {
  const settings = executorSchema.parse({
    type: "slurm",
    partition: "gpu",
    time: "2:00:00",
    mem: "16G",
    cpus_per_task: 8,
    gres: "gpu:1",
    extra_args: ["--account=lab42"],
    light: { partition: "cpu", mem: "2G" },
  });
  const task = { id: "train:lenet" } as Parameters<typeof sbatchArgs>[0];
  const paths = jobPaths("/c/slurm/s", "003-train-lenet");
  const heavy = sbatchArgs(task, settings, {
    light: false,
    paths,
    cwd: "/repo",
    after: ["7", "9"],
  });
  assert.deepEqual(heavy, [
    "--job-name=cnnlab:train:lenet",
    "--output=/c/slurm/s/003-train-lenet.log",
    "--open-mode=append",
    "--chdir=/repo",
    "--kill-on-invalid-dep=yes",
    "--dependency=afterok:7:9",
    "--partition=gpu",
    "--time=2:00:00",
    "--mem=16G",
    "--cpus-per-task=8",
    "--gres=gpu:1",
    "--account=lab42",
  ]);
  const light = sbatchArgs(task, settings, { light: true, paths, cwd: "/repo", after: [] });
  assert.deepEqual(light.slice(5), [
    "--partition=cpu",
    "--time=2:00:00",
    "--mem=2G",
    "--cpus-per-task=1",
    "--account=lab42",
  ]);
});

Deno.test("jobScript() runs deno with its arguments quoted for sh, whatever they hold", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-script-" });
  try {
    const odd = join(dir, "it's a $HOME `dir`");
    const script = join(dir, "job.sh");
    await Deno.writeTextFile(script, jobScript("a test", "/bin/echo", [odd, `${odd}/job.json`]));
    const { stdout } = await new Deno.Command("sh", { args: [script] }).output();
    assert.equal(
      new TextDecoder().decode(stdout),
      `run -A --unstable-webgpu ${odd} ${odd}/job.json\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseQueue() reads squeue's id|state|reason|nodes lines", () => {
  const queue = parseQueue("12|RUNNING|None|node3\n13|PENDING|Dependency|\n\n14|CANCELLED|None|");
  assert.deepEqual([...queue.keys()], ["12", "13", "14"]);
  assert.deepEqual(queue.get("13"), { state: "PENDING", reason: "Dependency", nodes: "" });
  assert.equal(queue.get("12")?.nodes, "node3");
});

Deno.test("runCli() shows no cluster jobs in status when the cache records none, without asking a queue", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const run = await box.run(["status", config]);
  assert.equal(run.code, 0);
  assert.doesNotMatch(run.out, /slurm job/);
  await Deno.mkdir(join(box.cache, "slurm", "20260101T000000Z-h-1"), { recursive: true });
  const empty = await runCli(createFakeProject(), ["status", config, "--cache-dir", box.cache], {
    out: () => {},
    err: () => {},
  });
  assert.equal(empty, 0, "a submission folder without records is no reason to ask Slurm");
});
