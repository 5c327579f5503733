/**
 * The bench's `--jobs 2` figure: two LeNet trainings (the train stage's step, native backend) at
 * once with `cores / 2` threads each (CNNLAB_THREADS, as the engine gives each child) against the
 * same two one after the other with every core, and at once with every core each (what
 * oversubscribing OpenMP costs). Whole processes are timed: start-up is part of a stage too.
 * @module
 */
import { type BenchWorkload, benchWorkloads, selectWorkloads } from "./bench_workloads.ts";
import { runChild } from "./_run_child.ts";

/** Options of {@linkcode benchJobs}. */
export interface BenchJobsOptions {
  log: (line: string) => void;
  /** `performance.now()` after which nothing more starts. */
  deadline: number;
  /** Threads of one process running alone. */
  cores: number;
  /** Training steps per run. Default 150 (batch 128: ~19,000 images). */
  steps?: number;
  /** Rounds; the fastest of each arrangement counts. Default 2. */
  rounds?: number;
}

const TRAIN_SPEED = new URL("./train_speed.ts", import.meta.url).pathname;

/**
 * The step the `--jobs 2` figure trains: configs/mnist-all.yaml's LeNet at batch 128, whatever
 * its runs are named (a sweep renames them).
 */
export function jobsWorkload(all: BenchWorkload[]): BenchWorkload | undefined {
  return selectWorkloads(all, ["mnist-all"]).find((w) =>
    w.model.name === "lenet" && w.batchSize === 128
  );
}

/**
 * Times the three arrangements and logs them with the ratio at once / one after the other
 * (the target: ≤ 0.65).
 * @returns that ratio, or null when a run failed or the budget ran out.
 */
export async function benchJobs(o: BenchJobsOptions): Promise<number | null> {
  const lenet = jobsWorkload(benchWorkloads());
  if (lenet === undefined) {
    o.log("\n--jobs 2: not measured (configs/mnist-all.yaml trains no LeNet at batch 128)");
    return null;
  }
  const steps = o.steps ?? 150;
  const spec = JSON.stringify({
    ...lenet,
    evalBatchSize: 0,
    warmup: 2,
    steps,
    maxSeconds: 1e9,
    evalBatches: 0,
  });
  const run = (threads: number) =>
    runChild(Deno.execPath(), ["run", "-A", TRAIN_SPEED, "native", spec], {
      env: { CNNLAB_THREADS: String(threads) },
      timeoutSeconds: 600,
    });
  const half = Math.max(1, Math.floor(o.cores / 2));
  const best = { serial: Infinity, split: Infinity, crowded: Infinity };
  o.log(
    `\n--jobs 2: two LeNet trainings of ${steps} steps (batch 128, native), whole processes`,
  );
  for (let round = 0; round < (o.rounds ?? 2); round++) {
    if (performance.now() > o.deadline) break;
    const t0 = performance.now();
    const a = await run(o.cores);
    const b = await run(o.cores);
    const serial = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const split = await Promise.all([run(half), run(half)]);
    const atOnce = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    const crowded = await Promise.all([run(o.cores), run(o.cores)]);
    const crowdedSeconds = (performance.now() - t2) / 1000;
    const failed = [a, b, ...split, ...crowded].find((r) => r.error || r.lines[0]?.error);
    if (failed) {
      o.log(`  a run failed: ${failed.error ?? failed.lines[0]?.error}`);
      return null;
    }
    best.serial = Math.min(best.serial, serial);
    best.split = Math.min(best.split, atOnce);
    best.crowded = Math.min(best.crowded, crowdedSeconds);
  }
  if (!Number.isFinite(best.serial)) {
    o.log("  not measured (the bench's time budget is spent)");
    return null;
  }
  const ratio = best.split / best.serial;
  o.log(`  one after the other, ${o.cores} threads each: ${best.serial.toFixed(2)} s`);
  o.log(
    `  at once, ${half} thread${half > 1 ? "s" : ""} each: ${best.split.toFixed(2)} s ` +
      `(${ratio.toFixed(2)}× of one after the other; target ≤ 0.65)`,
  );
  o.log(
    `  at once, ${o.cores} threads each (oversubscribed): ${best.crowded.toFixed(2)} s ` +
      `(${(best.crowded / best.serial).toFixed(2)}×)`,
  );
  return ratio;
}
