/**
 * The real project on a real (single-node, throwaway) Slurm cluster: `configs/smoke.yaml` and a
 * 12-run sweep submitted with `--executor slurm` give the same metrics as local runs with the
 * threads each job was allocated (one CPU: local runs with CNNLAB_THREADS=1, the sweep with
 * `--jobs 2`). Kept small: 2,000 and 400 training images, tiny models, 1–2 epochs, and
 * the sweep evaluates on 1,000 test images of a slice of the real data.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import {
  readCliRun,
  startTestCluster,
  type TestCluster,
} from "../pipelines/slurm/_test_cluster.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(repo, "tasks/cli.ts");

const cluster = await startTestCluster();
const skip = "skip" in cluster ? cluster.skip : undefined;
if (skip) console.error(`Slurm pipeline tests skipped: ${skip}`);

/** Columns that measure time, not results. */
const TIMING = new Set([
  "seconds",
  "images_per_sec",
  "train_seconds",
  "train_images_per_sec",
  "eval_images_per_sec",
]);

async function pipeline(
  cwd: string,
  c: TestCluster,
  args: string[],
  env: Record<string, string> = {},
) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-webgpu", cli, "run", ...args],
    cwd,
    env: { ...c.env, NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
    // A pipeline that hangs fails its test instead of the whole run.
    signal: AbortSignal.timeout(600_000),
  }).output();
  const decoder = new TextDecoder();
  return readCliRun(code, decoder.decode(stdout), decoder.decode(stderr));
}

/** A report's metrics tables without their timing columns. */
async function metrics(report: string): Promise<Record<string, Record<string, string>[]>> {
  const tables: Record<string, Record<string, string>[]> = {};
  for (const file of ["final.csv", "epochs.csv", "per_class.csv"]) {
    const rows = parse(await Deno.readTextFile(join(report, "metrics", file)), {
      columns: true,
    }) as Record<string, string>[];
    tables[file] = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !TIMING.has(column)))
    );
  }
  return tables;
}

/** Debian's Fashion-MNIST (package dataset-fashion-mnist, which `deno task setup` installs). */
const FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

/** The first `count` items of a gzipped IDX file, as a gzipped IDX file. */
function sliceIdx(gz: Uint8Array, count: number): Uint8Array {
  const bytes = new Uint8Array(gunzipSync(gz));
  const view = new DataView(bytes.buffer);
  const dims = Array.from({ length: bytes[3] }, (_, i) => view.getUint32(4 + 4 * i, false));
  const header = 4 + 4 * dims.length;
  const item = dims.slice(1).reduce((a, b) => a * b, 1);
  const out = bytes.slice(0, header + count * item);
  new DataView(out.buffer).setUint32(4, count, false);
  return new Uint8Array(gzipSync(out));
}

/** The first 1,000 training and test images of the real data: evaluating stays quick. */
async function writeFashionMnistSlice(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for await (const file of Deno.readDir(FASHION_MNIST)) {
    const bytes = await Deno.readFile(join(FASHION_MNIST, file.name));
    await Deno.writeFile(join(dir, file.name), sliceIdx(bytes, 1000));
  }
}

const SWEEP = `description: Twelve tiny LeNet runs for the Slurm executor's acceptance test.
defaults:
  data: { dataset: fashion-mnist, path: ./fashion-mnist-1000 }
  split: { validation: 0.2, limit: 400, seed: 0 }
  train: { optimizer: adam, lr: 0.003, batch_size: 64, epochs: 1 }
  backend: auto
experiments:
  lenet: { model: { name: lenet } }
sweep:
  name: grid
  mode: grid
  params: { train.lr: [0.001, 0.003, 0.01], model.fc_dropout: [0, 0.5] }
seeds: 2
report: { title: Twelve-run sweep }
`;

Deno.test({
  name: "the project's pipelines on a single-node Slurm cluster",
  ignore: skip !== undefined,
  sanitizeResources: false,
  async fn(t) {
    const c = cluster as TestCluster;
    // One working folder each: reports/ is published into the working folder.
    const clusterDir = await Deno.makeTempDir({ prefix: "cnnlab-slurm-run-" });
    const localDir = await Deno.makeTempDir({ prefix: "cnnlab-local-run-" });
    try {
      for (const dir of [clusterDir, localDir]) {
        await Deno.copyFile(join(repo, "configs/smoke.yaml"), join(dir, "smoke.yaml"));
        await Deno.writeTextFile(join(dir, "sweep12.yaml"), SWEEP);
        await writeFashionMnistSlice(join(dir, "fashion-mnist-1000"));
      }
      const cache = (dir: string) => ["--cache-dir", join(dir, "cache")];

      await t.step(
        "configs/smoke.yaml with --executor slurm gives the metrics of a local run",
        async () => {
          const slurm = await pipeline(clusterDir, c, [
            "smoke.yaml",
            "--executor",
            "slurm",
            ...cache(clusterDir),
          ]);
          assert.equal(slurm.code, 0, slurm.err);
          assert.deepEqual(Object.values(slurm.rows).map((r) => r.outcome), Array(7).fill("run"));
          assert.equal(Object.keys(slurm.submitted).length, 7, "one job per stage");
          assert.ok(Object.values(slurm.rows).every((r) => /^slurm job \d+$/.test(r.where)));
          // Each job uses the one CPU Slurm allocated it (no cpus_per_task): so does this run.
          const local = await pipeline(localDir, c, ["smoke.yaml", ...cache(localDir)], {
            CNNLAB_THREADS: "1",
          });
          assert.equal(local.code, 0, local.err);
          const expected = await metrics(join(localDir, "reports/smoke"));
          assert.equal(expected["final.csv"].length, 2);
          assert.deepEqual(await metrics(join(clusterDir, "reports/smoke")), expected);
        },
      );

      await t.step(
        "a 12-run sweep submitted with --executor slurm finishes with the metrics of --jobs 2",
        async () => {
          const slurm = await pipeline(clusterDir, c, [
            "sweep12.yaml",
            "--executor",
            "slurm",
            ...cache(clusterDir),
          ]);
          assert.equal(slurm.code, 0, slurm.err);
          const ran = Object.values(slurm.rows).filter((r) => r.outcome === "run").length;
          assert.equal(ran, 27, slurm.out); // data, split, 12 train, 12 evaluate, report
          assert.equal(Object.keys(slurm.submitted).length, 27);
          const local = await pipeline(localDir, c, [
            "sweep12.yaml",
            "--jobs",
            "2",
            ...cache(localDir),
          ], { CNNLAB_THREADS: "1" }); // one CPU per job there, whatever this machine's cores
          assert.equal(local.code, 0, local.err);
          const expected = await metrics(join(localDir, "reports/sweep12"));
          assert.equal(expected["final.csv"].length, 12);
          assert.deepEqual(await metrics(join(clusterDir, "reports/sweep12")), expected);
        },
      );
    } finally {
      await c.stop();
      await Deno.remove(clusterDir, { recursive: true });
      await Deno.remove(localDir, { recursive: true });
    }
  },
});
