/**
 * Bench: planning a 100,000-run sweep (`status` of a LeNet grid over 100 learning rates × 1,000
 * dropout rates on MNIST, 200,003 stages) in a new process, as a user runs it: wall time, CPU
 * time and peak resident memory of that process. Target: < 10 s and < 1 GB on a quiet machine.
 * The first `status` probes the model's speed for the estimates (once per model); the figures
 * are of the second, like every later one. The tables are printed (to /dev/null): the figures
 * are those of the whole command, start-up and output included.
 * Usage: `deno run -A tasks/bench/big_sweep.ts [--runs-per-lr N] [--repeats N]` (median of N).
 * @module
 */
import { join } from "node:path";
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { runCli } from "../../pipelines/cli/cli.ts";
import { peakRssBytes } from "./peak_rss.ts";

/** What one `status` of the sweep cost its process. */
export interface StatusCost {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number | null;
}

/** The sweep's size and the median cost of its measured `status` runs, with each run's. */
export interface BigSweepFigures extends StatusCost {
  runs: number;
  stages: number;
  measured: StatusCost[];
}

/** The config: a grid of `lrs` learning rates × `drops` dropout rates of one LeNet. */
export function bigSweepConfig(lrs: number, drops: number): string {
  const lr = Array.from({ length: lrs }, (_, i) => Number((1e-4 * (i + 1)).toFixed(6)));
  const dropout = Array.from({ length: drops }, (_, i) => Number((i / drops).toFixed(6)));
  return [
    "defaults:",
    "  data: { dataset: mnist }",
    "  split: { validation: 0.2, seed: 0 }",
    "  train: { optimizer: adam, lr: 0.004, batch_size: 128, epochs: 1 }",
    "experiments:",
    "  lenet: { model: { name: lenet } }",
    "sweep:",
    "  name: grid",
    "  mode: grid",
    `  params: { train.lr: [${lr.join(", ")}], model.fc_dropout: [${dropout.join(", ")}] }`,
    "",
  ].join("\n");
}

/**
 * In the child: one `status` printing its tables to stdout (the parent sends them to /dev/null),
 * then the process's CPU time (since it started) and peak resident memory as JSON on stderr.
 */
async function child(config: string, cacheDir: string): Promise<void> {
  await import("../quiet_tfjs.ts");
  const { project } = await import("../project.ts");
  const code = await runCli(project, ["status", config, "--cache-dir", cacheDir], {
    err: () => {},
  });
  if (code !== 0) throw new Error(`status exited ${code}`);
  const used = cpuUsage();
  const peak = peakRssBytes();
  console.error(JSON.stringify({
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMiB: peak === null ? null : peak / 2 ** 20,
  }));
  // Ends as `tasks/cli.ts` does, without waiting for the event loop to drain.
  Deno.exit(0);
}

/** Writes the config in a temp folder, runs `status` twice in new processes, returns the second. */
export async function benchBigSweep(
  lrs = 100,
  drops = 1000,
  repeats = 3,
): Promise<BigSweepFigures> {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-big-sweep-" });
  try {
    const config = join(dir, "big-sweep.yaml");
    await Deno.writeTextFile(config, bigSweepConfig(lrs, drops));
    const measured: StatusCost[] = [];
    // The first run probes the model's speed (once per model): not measured.
    for (let i = 0; i <= repeats; i++) {
      // Wall time from the command's start to its exit, as a user waits for it.
      const start = performance.now();
      const out = await new Deno.Command(Deno.execPath(), {
        // The flags of `deno task status`.
        args: [
          "run",
          "-A",
          "--unstable-webgpu",
          import.meta.filename!,
          "--child",
          config,
          join(dir, "cache"),
        ],
        stdout: "null",
        stderr: "piped",
      }).output();
      const wallSeconds = (performance.now() - start) / 1000;
      const stderr = new TextDecoder().decode(out.stderr).trim();
      if (!out.success) throw new Error(`big sweep status failed: ${stderr}`);
      if (i > 0) measured.push({ wallSeconds, ...JSON.parse(stderr.split("\n").at(-1)!) });
    }
    const median = (of: (c: StatusCost) => number | null) => {
      const values = measured.map(of).filter((v): v is number => v !== null).sort((a, b) => a - b);
      return values.length === 0 ? null : values[Math.floor(values.length / 2)];
    };
    const runs = lrs * drops;
    return {
      runs,
      stages: 2 * runs + 3,
      wallSeconds: median((c) => c.wallSeconds)!,
      cpuSeconds: median((c) => c.cpuSeconds)!,
      peakRssMiB: median((c) => c.peakRssMiB),
      measured,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      child: { type: "boolean" },
      "runs-per-lr": { type: "string", default: "1000" },
      repeats: { type: "string", default: "3" },
    },
    allowPositionals: true,
  });
  if (values.child) await child(positionals[0], positionals[1]);
  else {
    const f = await benchBigSweep(100, Number(values["runs-per-lr"]), Number(values.repeats));
    const range = (of: (c: StatusCost) => number | null, digits: number) => {
      const all = f.measured.map(of).filter((v): v is number => v !== null);
      return all.length < 2
        ? ""
        : ` (${Math.min(...all).toFixed(digits)}–${Math.max(...all).toFixed(digits)})`;
    };
    console.log(
      `status of a ${f.runs.toLocaleString("en-US")}-run sweep (${
        f.stages.toLocaleString("en-US")
      } stages), new process, median of ${f.measured.length}: ${f.wallSeconds.toFixed(1)} s wall${
        range((c) => c.wallSeconds, 1)
      }, ${f.cpuSeconds.toFixed(1)} s CPU, peak ${
        f.peakRssMiB === null ? "?" : f.peakRssMiB.toFixed(0)
      } MiB resident${range((c) => c.peakRssMiB, 0)}`,
    );
  }
}
