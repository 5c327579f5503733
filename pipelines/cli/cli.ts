import { cacheLayout, resolveCacheDir } from "../cache/cache_layout.ts";
import { ConfigError } from "../config/config_error.ts";
import { explainStages } from "./explain_stages.ts";
import { parseCliArgs, USAGE } from "./parse_cli_args.ts";
import { planPipeline } from "../graph/plan_pipeline.ts";
import { planTable } from "./plan_table.ts";
import { createConsoleReporter } from "./progress_reporter.ts";
import type { Reporter } from "./progress_reporter.ts";
import { runPipeline } from "../run/run_pipeline.ts";
import { forcedStages, selectStagesForRuns } from "../graph/select_stages.ts";
import { summaryTable } from "./summary_table.ts";
import type { Json, Project } from "../types.ts";

/** Options of {@linkcode runCli}. */
export interface RunCliOptions {
  /** Where tables go. Default: stdout. */
  out?: (text: string) => void;
  /** Where messages go. Default: stderr. */
  err?: (text: string) => void;
  /** Renders stage logs and progress. Default: a console reporter on stderr. */
  reporter?: Reporter;
}

/**
 * The command line of the pipeline: `run <config>... [--jobs N] [--cache-dir DIR] [--dry-run]
 * [--force [GLOB]] [--only RUN-GLOB] [--isolate]` and `status <config>...`.
 * @returns the exit code: 0 ok, 1 a stage failed (or an unexpected engine error), 2 bad config or
 * arguments, including errors thrown while the project computes runtime facts or plans stages
 * (set `CNNLAB_DEBUG=1` to see their stack). Never exits itself.
 */
export async function runCli<R, F extends Json>(
  project: Project<R, F>,
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<number> {
  const out = options.out ?? ((text: string) => console.log(text));
  const err = options.err ?? ((text: string) => console.error(text));
  try {
    const cli = parseCliArgs(args);
    if (cli.help) {
      out(USAGE);
      return 0;
    }
    const layout = cacheLayout(resolveCacheDir(cli.cacheDir));
    let plan;
    try {
      plan = await planPipeline(project, cli.configs, { cacheDir: layout.root });
    } catch (error) {
      // The project's runtime facts or planner refused the config (e.g. a backend this machine
      // lacks): that is a configuration problem, exit 2, with the project's own message.
      if (error instanceof ConfigError || !(error instanceof Error)) throw error;
      throw new ConfigError(
        Deno.env.get("CNNLAB_DEBUG") ? error.stack ?? error.message : error.message,
      );
    }
    const stages = cli.only === undefined
      ? plan.stages
      : selectStagesForRuns(plan.stages, cli.only);
    const forced = cli.force === undefined ? undefined : forcedStages(stages, cli.force);
    const runs = plan.configs.reduce((n, c) => n + c.runs.length, 0);
    const names = plan.configs.map((c) => c.name).join(", ");
    err(`${names}: ${runs} runs, ${stages.length} stages, cache ${layout.root}`);
    for (const config of plan.configs) {
      err(`${config.name} runtime: ${JSON.stringify(config.runtime)}`);
    }
    if (cli.command === "status" || cli.dryRun) {
      out(planTable(await explainStages(stages, layout, forced)));
      return 0;
    }
    const controller = new AbortController();
    // First Ctrl-C: stop starting stages and ask running ones to stop; second: exit now.
    const onInterrupt = () => {
      if (controller.signal.aborted) Deno.exit(130);
      err("Interrupting: waiting for running stages to stop (Ctrl-C again to exit now)");
      controller.abort();
    };
    Deno.addSignalListener("SIGINT", onInterrupt);
    const begun = performance.now();
    let results;
    try {
      results = await runPipeline(stages, {
        layout,
        jobs: cli.jobs,
        isolate: cli.isolate || cli.jobs > 1,
        forced,
        reporter: options.reporter ?? createConsoleReporter(),
        signal: controller.signal,
      });
    } finally {
      Deno.removeSignalListener("SIGINT", onInterrupt);
    }
    out(summaryTable(results, (performance.now() - begun) / 1000));
    if (results.every((r) => r.outcome === "fresh" || r.outcome === "restored")) {
      err(`Nothing to run: all ${results.length} stages are up to date`);
    }
    const failed = results.filter((r) => r.outcome === "failed");
    failed.forEach((r) => err(r.error!));
    if (controller.signal.aborted) err("Interrupted: stages that had not started were skipped");
    return failed.length || controller.signal.aborted ? 1 : 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 2;
    }
    err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}
