/**
 * The Slurm executor against a real single-node cluster (scripts/slurm_test_cluster.sh), with
 * the engine's fake project: jobs and dependencies, failures, Ctrl-C, --detach, resources,
 * a checkout changed under queued jobs, and a node that dies mid-stage.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../../pipelines/cache/cache_layout.ts";
import { verifyEntry } from "../../../pipelines/cache/verify_entry.ts";
import { createSandbox, type Sandbox, TWO_RUNS } from "../_sandbox.ts";
import {
  type CliRun,
  logPrefix,
  readCliRun,
  startTestCluster,
  type TestCluster,
  waitFor,
} from "./_test_cluster.ts";

const CLI = new URL("../../fixtures/pipelines/run_fake_cli.ts", import.meta.url).pathname;

/** Polls fast: the fake stages take milliseconds. */
const SLURM = "executor: { type: slurm, poll_seconds: 0.3 }\n";

const cluster = await startTestCluster();
const skip = "skip" in cluster ? cluster.skip : undefined;
if (skip) console.error(`Slurm executor tests skipped: ${skip}`);

function command(
  box: Sandbox,
  c: TestCluster,
  args: string[],
  cache = box.cache,
  env: Record<string, string> = {},
): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "--cache-dir", cache],
    cwd: box.dir,
    env: {
      ...c.env,
      ...env,
      FAKE_STAGE_DIR: box.stages,
      FAKE_PUBLISH_ROOT: box.publishRoot,
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
    // A pipeline that hangs fails its test instead of the whole run.
    signal: AbortSignal.timeout(180_000),
  });
}

/** Runs the fake project's CLI in its own process against the test cluster. */
async function cli(
  box: Sandbox,
  c: TestCluster,
  args: string[],
  cache?: string,
  env?: Record<string, string>,
): Promise<CliRun> {
  const { code, stdout, stderr } = await command(box, c, args, cache, env).output();
  const decoder = new TextDecoder();
  return readCliRun(code, decoder.decode(stdout), decoder.decode(stderr));
}

/** Starts the CLI and collects its output until it exits. */
function spawnCli(box: Sandbox, c: TestCluster, args: string[]) {
  const child = command(box, c, args).spawn();
  const decoder = new TextDecoder();
  let out = "";
  let err = "";
  const read = async (stream: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
  };
  const done = Promise.all([
    read(child.stdout, (t) => out += t),
    read(child.stderr, (t) => err += t),
    child.status,
  ]).then(([, , status]) => readCliRun(status.code, out, err));
  return { child, done, err: () => err };
}

const outcomes = (run: CliRun) =>
  Object.fromEntries(Object.entries(run.rows).map(([id, r]) => [id, r.outcome]));

async function entryFingerprints(cache: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(join(cache, "entries")))).map((e) => e.name).sort();
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(path))).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

const SLOW = (runs: number, epochs: number, sleep: number) =>
  `defaults:
  model: { name: tiny }
experiments:
${
    Array.from(
      { length: runs },
      (_, i) => `  s${i + 1}: { train: { lr: 0.${i + 1}, epochs: ${epochs}, sleep_ms: ${sleep} } }`,
    ).join("\n")
  }
${SLURM}`;

Deno.test({
  name: "the Slurm executor on a single-node test cluster",
  ignore: skip !== undefined,
  sanitizeResources: false,
  async fn(t) {
    const c = cluster as TestCluster;
    try {
      await t.step(
        "every stage runs as a job after its inputs' jobs, with the same entries as a local run; a rerun submits nothing; a changed lr resubmits only its stages",
        async () => {
          await using box = await createSandbox();
          const config = box.write("two.yaml", TWO_RUNS + SLURM);
          const first = await cli(box, c, ["run", config]);
          assert.equal(first.code, 0, first.err);
          assert.deepEqual(outcomes(first), {
            "data:digits": "run",
            "train:a": "run",
            "evaluate:a": "run",
            "data:letters": "run",
            "train:b": "run",
            "evaluate:b": "run",
            "report:two": "run",
          });
          const jobs = first.submitted;
          assert.equal(Object.keys(jobs).length, 7);
          const probe = first.err.match(
            /^runtime facts resolved on node \S+ \(slurm job (\d+)\)$/m,
          );
          assert.ok(probe, first.err);
          assert.equal((await c.jobs()).get(probe[1])?.name, "cnnlab:runtime-facts");
          assert.equal(first.rows["train:a"].where, `slurm job ${jobs["train:a"]}`);
          assert.match(
            first.err,
            new RegExp(
              `${logPrefix("evaluate:a")}submitted as slurm job ${
                jobs["evaluate:a"]
              } \\(after jobs ${jobs["data:digits"]}, ${jobs["train:a"]}\\)|${
                logPrefix("evaluate:a")
              }submitted as slurm job ${jobs["evaluate:a"]} \\(after job ${jobs["train:a"]}\\)`,
            ),
          );
          const queue = await c.jobs();
          for (const [id, job] of Object.entries(jobs)) {
            assert.equal(queue.get(job)?.state, "COMPLETED", id);
            assert.equal(queue.get(job)?.name, `cnnlab:${id}`);
          }
          assert.deepEqual(
            await listDir(join(box.cache, "slurm")),
            ["runtime-facts.json"],
            "job files of a good run go; the node's runtime facts stay for status",
          );

          const localCache = join(box.dir, "local-cache");
          const local = await cli(box, c, ["run", config, "--executor", "local"], localCache);
          assert.equal(local.code, 0, local.err);
          assert.deepEqual(local.submitted, {});
          assert.deepEqual(await entryFingerprints(box.cache), await entryFingerprints(localCache));

          const status = await cli(box, c, ["status", config]);
          assert.match(status.err, /^runtime facts as node \S+ resolved them \(slurm job \d+, /m);
          assert.match(status.out, /7 fresh, 0 will restore, 0 will run/);
          const rerun = await cli(box, c, ["run", config]);
          assert.equal(rerun.code, 0, rerun.err);
          assert.deepEqual(Object.values(outcomes(rerun)), Array(7).fill("fresh"));
          assert.deepEqual(rerun.submitted, {});

          box.edit("two.yaml", (text) => text.replace("lr: 0.2", "lr: 0.3"));
          const changed = await cli(box, c, ["run", config]);
          assert.equal(changed.code, 0, changed.err);
          assert.deepEqual(Object.keys(changed.submitted).sort(), [
            "evaluate:b",
            "report:two",
            "train:b",
          ]);
          assert.equal(outcomes(changed)["train:a"], "fresh");
        },
      );

      await t.step(
        "runtime facts are resolved on a node: a node that refuses the config stops the pipeline with exit 2 and the project's message before any stage is submitted",
        async () => {
          await using box = await createSandbox();
          const config = box.write("two.yaml", TWO_RUNS + SLURM);
          const refusal = "Cannot use backend 'webgpu' as no GPU adapter was found";
          const run = await cli(box, c, ["run", config], undefined, { FAKE_NODE_REFUSAL: refusal });
          assert.equal(run.code, 2);
          assert.equal(
            run.err.trim().split("\n").at(-1),
            `${refusal} (on node ${Deno.hostname()})`,
          );
          assert.deepEqual(run.submitted, {});
          assert.deepEqual(await listDir(join(box.cache, "entries")), []);
        },
      );

      await t.step(
        "a failing stage exits 1 with the stage, its job id and its log's tail; its queued dependents are cancelled, nothing is cached for it",
        async () => {
          await using box = await createSandbox();
          const config = box.write(
            "fail.yaml",
            `defaults: { model: { name: tiny }, train: { lr: 0.01 } }
experiments:
  ok: {}
  bad: { train: { lr: 0.2, fail: true } }
${SLURM}`,
          );
          const run = await cli(box, c, ["run", config]);
          assert.equal(run.code, 1);
          const job = run.submitted["train:bad"];
          assert.deepEqual(outcomes(run), {
            "data:digits": "run",
            "train:ok": "run",
            "evaluate:ok": "run",
            "train:bad": "failed",
            "evaluate:bad": "skipped",
            "report:fail": "skipped",
          });
          const log = run.err.match(/last lines of (\S+\.log):/)?.[1];
          assert.ok(log, run.err);
          assert.ok(
            run.err.includes(
              `Stage train:bad (run bad) failed: slurm job ${job}: loss is NaN at epoch 1\n  last lines of ${log}:\n`,
            ),
            run.err,
          );
          assert.match(
            run.err,
            /\n {2}\| running: input data:digits runs first\n {2}\| cnnlab: failed: loss is NaN at epoch 1\n/,
          );
          assert.match(await Deno.readTextFile(log), /loss is NaN at epoch 1/);
          const queue = await c.jobs();
          assert.equal(queue.get(job)?.state, "FAILED");
          assert.equal(queue.get(run.submitted["evaluate:bad"])?.state, "CANCELLED");
          assert.equal(queue.get(run.submitted["report:fail"])?.state, "CANCELLED");
          for (const fp of await entryFingerprints(box.cache)) {
            const check = await verifyEntry(cacheLayout(box.cache), fp);
            assert.ok(check.ok && check.manifest.id !== "train:bad");
          }
          assert.deepEqual(await listDir(join(box.cache, "tmp")), []);
        },
      );

      await t.step(
        "Ctrl-C cancels the queued and running jobs (scancel), prints the summary and exits 130",
        async () => {
          await using box = await createSandbox();
          const config = box.write("slow.yaml", SLOW(3, 40, 250));
          const run = spawnCli(box, c, ["run", config]);
          const submitted = () => [...run.err().matchAll(/submitted as slurm job (\d+)/g)].length;
          await waitFor(() => submitted() === 8, 30_000, "all jobs submitted");
          // A train job (slow: epochs of 250 ms), not the data job, which ends at once.
          await waitFor(
            () => /\[(?:\d+\/\d+ )?train:s\d\] slurm job \d+ running on/.test(run.err()),
            60_000,
            "a train job running",
          );
          run.child.kill("SIGINT");
          const ended = await run.done;
          assert.equal(ended.code, 130);
          assert.match(ended.err, /Ctrl-C: cancelling the queued and running jobs/);
          assert.match(ended.err, /Interrupted: .*stages that had not started were skipped/);
          assert.match(ended.out, /^stage\s+outcome\s+time\s+where$/m);
          const states = async () => {
            const queue = await c.jobs();
            return Object.fromEntries(
              Object.entries(ended.submitted).map(([id, job]) => [id, queue.get(job)?.state]),
            );
          };
          const final = (s: string | undefined) => s === "CANCELLED" || s === "COMPLETED";
          // A cancelled running job passes through COMPLETING while its processes end.
          await waitFor(
            async () => Object.values(await states()).every(final),
            30_000,
            "every job cancelled or completed",
          ).catch(async (error) => {
            throw new Error(`${error.message}: ${JSON.stringify(await states())}`);
          });
          assert.equal((await states())["report:slow"], "CANCELLED");
          assert.equal(outcomes(ended)["report:slow"], "skipped");
          // The running train jobs were stopped: "interrupted" when the stage process reported
          // its stop before the job ended, "failed" when scancel's kill came first (both seen
          // here, by timing); only train jobs were running, so only they may be either.
          const stopped = Object.entries(outcomes(ended))
            .filter(([, o]) => o === "interrupted" || o === "failed").map(([id]) => id);
          assert.ok(stopped.length > 0, ended.out);
          assert.ok(stopped.every((id) => id.startsWith("train:")), ended.out);
          assert.ok(
            Object.values(outcomes(ended)).every((o) =>
              ["run", "skipped", "interrupted", "failed"].includes(o)
            ),
            ended.out,
          );
        },
      );

      await t.step(
        "--detach returns after submitting, status lists the queued jobs, and a later pipeline attaches to them and collects the results",
        async () => {
          await using box = await createSandbox();
          const config = box.write("slow.yaml", SLOW(1, 40, 250));
          const detached = await cli(box, c, ["run", config, "--detach"]);
          assert.equal(detached.code, 0, detached.err);
          assert.deepEqual(Object.values(outcomes(detached)), Array(4).fill("submitted"));
          assert.match(detached.err, /Detached: 4 stages are queued or running on the cluster/);
          const status = await cli(box, c, ["status", config]);
          assert.equal(status.code, 0, status.err);
          assert.match(status.out, /^stage\s+slurm job\s+state\s+reason or node\s+submitted$/m);
          const report = detached.submitted["report:slow"];
          assert.match(
            status.out,
            new RegExp(`^report:slow\\s+${report}\\s+pending\\s+Dependency`, "m"),
          );
          const later = await cli(box, c, ["run", config]);
          assert.equal(later.code, 0, later.err);
          assert.deepEqual(later.submitted, {}, "nothing is submitted twice");
          assert.match(
            later.err,
            new RegExp(`${logPrefix("report:slow")}attached to slurm job ${report}`),
          );
          assert.equal(later.rows["report:slow"].outcome, "run");
          assert.equal(later.rows["report:slow"].where, `slurm job ${report}`);
          const again = await cli(box, c, ["status", config]);
          assert.match(again.out, /4 fresh, 0 will restore, 0 will run/);
          assert.doesNotMatch(again.out, /slurm job/);
        },
      );

      await t.step(
        "jobs ask for the configured resources, light stages for little; a job whose checkout changed after planning fails closed",
        async () => {
          await using box = await createSandbox();
          const config = box.write(
            "res.yaml",
            `defaults: { model: { name: tiny }, train: { lr: 0.1 } }
experiments: { one: {} }
executor:
  type: slurm
  poll_seconds: 0.3
  partition: main
  time: "00:20:00"
  mem: 64M
  cpus_per_task: 2
  gres: gpu:1
  light: { partition: light, time: "00:05:00" }
`,
          );
          // Held jobs wait until released: time to look at them, and to change the checkout.
          const held = await cli(box, c, ["run", config, "--detach", "--sbatch-arg=--hold"]);
          assert.equal(held.code, 0, held.err);
          const show = (id: string) => c.showJob(held.submitted[id]);
          const train = await show("train:one");
          assert.equal(train.Partition, "main");
          assert.equal(train.TimeLimit, "00:20:00");
          assert.equal(train.MinMemoryNode, "64M");
          assert.equal(train.NumCPUs, "2");
          assert.equal(train.TresPerNode, "gres:gpu:1");
          const data = await show("data:digits");
          assert.equal(data.Partition, "light");
          assert.equal(data.TimeLimit, "00:05:00");
          assert.equal(data.NumCPUs, "1");
          assert.equal(data.TresPerNode, undefined);
          assert.equal(data.MinMemoryNode, "0", "no memory asked for");
          box.edit("stages/train.ts", (text) => text + "\n// edited after planning\n");
          await c.client("scontrol", ["release", ...Object.values(held.submitted)]);
          const job = held.submitted["train:one"];
          await waitFor(
            async () => (await c.jobs()).get(job)?.state === "FAILED",
            60_000,
            "failed",
          );
          const log = join(box.cache, "slurm", (await listDir(join(box.cache, "slurm")))[0]);
          const text = await Deno.readTextFile(join(log, "002-train-one.log"));
          assert.match(
            text,
            /cnnlab: failed: the checkout's code is not what the pipeline was planned with \(\.\/train\.ts changed\): run the pipeline again to plan with the current code\n/,
          );
          const evaluate = held.submitted["evaluate:one"];
          await waitFor(
            async () => (await c.jobs()).get(evaluate)?.state === "CANCELLED",
            30_000,
            "the dependent job cancelled",
          );
          const replanned = await cli(box, c, ["run", config]);
          assert.equal(replanned.code, 0, replanned.err);
          assert.equal(outcomes(replanned)["train:one"], "run");
        },
      );

      await t.step(
        "a node that dies mid-stage (slurmd and the job killed) leaves a cache the next run completes from",
        async () => {
          await using box = await createSandbox();
          const config = box.write("crash.yaml", SLOW(1, 12, 300));
          const run = spawnCli(box, c, ["run", config]);
          const pid = () =>
            Number(
              run.err().match(new RegExp(`${logPrefix("train:s1")}cnnlab: .* pid (\\d+)\\)`))?.[1],
            );
          await waitFor(
            async () => {
              const work = await listDir(join(box.cache, "work"));
              const epoch = await Deno.readTextFile(
                join(box.cache, "work", work[0] ?? "-", "epoch.txt"),
              )
                .catch(() => "0");
              return Number(epoch) >= 2;
            },
            60_000,
            "a checkpoint of epoch 2",
          );
          const stage = pid();
          const stepd = Number((await Deno.readTextFile(`/proc/${stage}/stat`)).split(" ")[3]);
          assert.equal((await Deno.readTextFile(`/proc/${stepd}/comm`)).trim(), "slurmstepd");
          // The node crashes: its daemon, the job's step daemon and the stage process, at once.
          for (const victim of [c.slurmdPid(), stepd, stage]) Deno.kill(victim, "SIGKILL");
          await c.startSlurmd();
          run.child.kill("SIGTERM");
          const ended = await run.done;
          assert.equal(ended.code, 143, "SIGTERM: 128 + 15");
          assert.equal(outcomes(ended)["train:s1"], "failed");
          assert.equal((await listDir(join(box.cache, "tmp"))).length, 1, "the dead stage's temp");

          const next = await cli(box, c, ["run", config]);
          assert.equal(next.code, 0, next.err);
          assert.match(next.err, new RegExp(`${logPrefix("train:s1")}resuming from epoch [2-9]`));
          assert.deepEqual(outcomes(next), {
            "data:digits": "fresh",
            "train:s1": "run",
            "evaluate:s1": "run",
            "report:crash": "run",
          });
          // The dead job's lock record names this machine and a process that is gone: the lock
          // is stale, and the temp folder made under it is removed by the startup cleanup.
          assert.deepEqual(await listDir(join(box.cache, "tmp")), []);
          assert.deepEqual(await listDir(join(box.cache, "locks")), []);
          assert.deepEqual(await listDir(join(box.cache, "work")), []);
          const layout = cacheLayout(box.cache);
          for (const fp of await entryFingerprints(box.cache)) {
            assert.ok((await verifyEntry(layout, fp)).ok, fp);
          }
          // The resumed training continues the one a clean run computes.
          const clean = join(box.dir, "clean-cache");
          assert.equal((await cli(box, c, ["run", config, "--executor", "local"], clean)).code, 0);
          const model = async (cache: string) => {
            for (const fp of await entryFingerprints(cache)) {
              const check = await verifyEntry(cacheLayout(cache), fp);
              if (check.ok && check.manifest.id === "train:s1") {
                return JSON.parse(await Deno.readTextFile(join(check.dir, "out/model.json")));
              }
            }
          };
          const resumed = await model(box.cache);
          const whole = await model(clean);
          assert.ok(resumed.resumedFrom >= 2);
          assert.equal(whole.history.length, 12);
          // The checkpoint carries the epochs before the crash: the resumed run's history is
          // the whole one, loss for loss.
          assert.deepEqual(resumed.history, whole.history);
        },
      );
    } finally {
      await c.stop();
    }
  },
});
