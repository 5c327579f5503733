/**
 * Bench: wall time of a fully cached rerun of a generated 50-run config (fast fake stages), so
 * the engine's own overhead (config, planning, code hashing, verifying 102 entries) is what is
 * measured. Target: < 1 s. Usage: `deno run -A pipelines/bench/cached_rerun.ts`.
 * @module
 */
import { join } from "node:path";
import { runCli } from "../cli/cli.ts";
import { silentReporter } from "../cli/progress_reporter.ts";
import { BENCH_CONFIG, benchProject } from "./_bench_project.ts";

/** Measured times of {@linkcode benchCachedRerun}. */
export interface CachedRerunTimes {
  runs: number;
  stages: number;
  /** First (cold) run, everything computed. */
  firstSeconds: number;
  /** Second run, nothing to do: in this process. */
  rerunSeconds: number;
  /** Second run as a user sees it: `deno run` of the CLI in a new process. */
  processSeconds: number;
}

/** Runs the bench in a temp folder (removed afterwards). */
export async function benchCachedRerun(): Promise<CachedRerunTimes> {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-bench-" });
  try {
    const config = join(dir, "bench50.yaml");
    await Deno.writeTextFile(config, BENCH_CONFIG);
    const args = ["run", config, "--cache-dir", join(dir, "cache")];
    const lines: string[] = [];
    const quiet = { out: (t: string) => lines.push(t), err: () => {}, reporter: silentReporter };
    let start = performance.now();
    if (await runCli(benchProject, args, quiet) !== 0) throw new Error("bench: first run failed");
    const firstSeconds = (performance.now() - start) / 1000;
    lines.length = 0;
    start = performance.now();
    if (await runCli(benchProject, args, quiet) !== 0) throw new Error("bench: rerun failed");
    const rerunSeconds = (performance.now() - start) / 1000;
    const summary = lines.join("\n").split("\n").at(-1)!;
    const fresh = Number(summary.match(/(\d+) fresh/)?.[1]);
    if (!/^0 run, 0 restored/.test(summary)) {
      throw new Error(`bench: the rerun was not fully cached: ${summary}`);
    }
    start = performance.now();
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", import.meta.filename!, "--cli", ...args],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!child.success) {
      throw new Error(`bench: CLI process failed: ${new TextDecoder().decode(child.stderr)}`);
    }
    const processSeconds = (performance.now() - start) / 1000;
    return { runs: 50, stages: fresh, firstSeconds, rerunSeconds, processSeconds };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  if (Deno.args[0] === "--cli") {
    Deno.exit(
      await runCli(benchProject, Deno.args.slice(1), {
        reporter: silentReporter,
        out: () => {},
        err: () => {},
      }),
    );
  }
  const t = await benchCachedRerun();
  console.log(
    `cached rerun of ${t.runs} runs (${t.stages} stages): ${
      t.rerunSeconds.toFixed(3)
    } s in-process, ` +
      `${t.processSeconds.toFixed(3)} s as a new deno process (first run ${
        t.firstSeconds.toFixed(3)
      } s; target < 1 s)`,
  );
}
