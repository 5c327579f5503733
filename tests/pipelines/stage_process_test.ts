import assert from "node:assert/strict";
import { join } from "node:path";
import { executeInChild } from "../../pipelines/run/spawn_stage.ts";
import type { StageJob } from "../../pipelines/run/execute_stage.ts";
import { startCli } from "./_cli_process.ts";
import { CAN_LIMIT_MEMORY, limitedCgroup } from "./_memory_cgroup.ts";
import { createSandbox } from "./_sandbox.ts";

const TFJS_STAGE = new URL("../fixtures/pipelines/tfjs_stage.ts", import.meta.url).href;
const QUIET = new URL("../../tasks/quiet_tfjs.ts", import.meta.url).href;
const BANNER = "looks like you are running TensorFlow.js in Node.js";

/** Runs the TF.js stage in a child process; returns every log line. */
async function runTfjsStage(setup: string[]): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-child-" });
  try {
    const job: StageJob = {
      module: TFJS_STAGE,
      uses: {},
      outDir: dir,
      inputs: {},
      params: {},
      workDir: dir,
      runtime: null,
      fingerprint: "f",
      inputFingerprints: {},
      setup,
    };
    const logs: string[] = [];
    await executeInChild(job, {
      log: (line) => logs.push(line),
      progress: () => {},
      signal: new AbortController().signal,
    });
    assert.equal(await Deno.readTextFile(join(dir, "sum.txt")), "6");
    return logs;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a stage process imports the project's setup first: TF.js's Node.js banner never reaches the log", async () => {
  // Without the setup module the banner is there (so the check below can fail)…
  const loud = await runTfjsStage([]);
  assert.ok(loud.some((l) => l.includes(BANNER)), loud.join("\n"));
  // …with it, not a line of it.
  const quiet = await runTfjsStage([QUIET]);
  assert.deepEqual(quiet.filter((l) => l.includes(BANNER) || l.includes("=====")), []);
});

const ONE_RUN = (train: string) =>
  `defaults:\n  model: { name: tiny }\nexperiments:\n  a: { train: { lr: 0.1, ${train} } }\n`;

Deno.test("a stage that fails to allocate memory says so and names the remedy", async () => {
  await using box = await createSandbox();
  const config = box.write(
    "a.yaml",
    ONE_RUN(`throw: "RangeError: Array buffer allocation failed"`),
  );
  const cli = startCli(box, ["run", config], { FAKE_ISOLATE: "1" });
  const { code, output } = await cli.finished();
  assert.equal(code, 1, output);
  assert.match(
    output,
    /Stage train:a \(run a\) failed: RangeError: Array buffer allocation failed: out of memory; give it less to hold at once \(a smaller train\.batch_size or evaluate\.batch_size, smaller images\) or run fewer stages at once \(--jobs 1\)/,
  );
});

Deno.test({
  name:
    "a stage killed by the kernel's out-of-memory killer fails alone: the pipeline reports it with the remedy (needs root and a memory cgroup)",
  ignore: !CAN_LIMIT_MEMORY,
  async fn() {
    await using box = await createSandbox();
    // 4 epochs × 128 MiB in a group limited to 320 MiB: the stage process is killed mid-way.
    const config = box.write("a.yaml", ONE_RUN("epochs: 4, hog_mb: 128"));
    await using group = limitedCgroup(320 << 20);
    const cli = startCli(box, ["run", config], { FAKE_ISOLATE: "1" });
    group.add(cli.process.pid);
    const { code, output } = await cli.finished();
    assert.equal(code, 1, output);
    assert.match(output, /data:digits\s+run/);
    assert.match(output, /train:a\s+failed/);
    assert.match(output, /evaluate:a\s+skipped/);
    assert.match(
      output,
      /Stage train:a \(run a\) failed: the system's out-of-memory killer stopped the stage process: give it less to hold at once/,
    );
    assert.ok(!/\n\s+at /.test(output), "no stack trace");
  },
});
