import { CacheError } from "../cache/cache_error.ts";
import { cacheLayout, resolveCacheDir } from "../cache/cache_layout.ts";
import { prepareCache } from "../cache/prepare_cache.ts";
import { ConfigError } from "../config/config_error.ts";
import { interruptedExitCode, listenForStopSignals } from "./interrupt_signals.ts";
import { RUNTIME_FACTS_COMMAND } from "../run/slurm/runtime_facts_probe.ts";
import { answerRuntimeFacts } from "./answer_runtime_facts.ts";
import { createExecutor } from "./create_executor.ts";
import { resolveExecutorSettings } from "./executor_args.ts";
import { explainStages } from "./explain_stages.ts";
import { queuedTable } from "./queued_table.ts";
import { runtimeFactsSource } from "./runtime_facts_source.ts";
import { estimateStages } from "../estimate/estimate_stages.ts";
import { describeTotal, estimateTableChunks } from "./estimate_table.ts";
import { pipelineProgressReporter } from "./pipeline_progress.ts";
import { confirmLongRun, previewRun, terminalAsk } from "./run_preview.ts";
import { runGcCommand } from "./gc_command.ts";
import { beginInvocation } from "../history/record_invocation.ts";
import { parseCliArgs, USAGE } from "./parse_cli_args.ts";
import { planPipeline } from "../graph/plan_pipeline.ts";
import { planTableChunks } from "./plan_table.ts";
import { createConsoleReporter } from "./progress_reporter.ts";
import type { Reporter } from "./progress_reporter.ts";
import { runPipeline, type StageResult } from "../run/run_pipeline.ts";
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
  /**
   * Asks whether to start a run estimated above `$CNNLAB_CONFIRM_MINUTES` (default 60).
   * Default: the terminal's `confirm()` when stdin is a terminal, else never asks.
   */
  ask?: (question: string) => boolean | Promise<boolean>;
  /**
   * The module whose main calls `runCli` with this project: a cluster node runs it to resolve
   * the runtime facts there. Default: `Deno.mainModule`.
   */
  entry?: URL;
}

/**
 * The command line of the pipeline: `run <config>... [--jobs N] [--cache-dir DIR] [--dry-run]
 * [--force [GLOB]] [--only RUN-GLOB] [--isolate]`, `status <config>...` and `gc [config...]`
 * (`gc_command.ts`).
 * @returns the exit code: 0 ok; 1 a stage failed, the cache cannot be written (or an unexpected
 * engine error); 2 bad config or arguments, including errors thrown while the project computes
 * runtime facts or plans stages; 130 / 143 stopped by Ctrl-C / SIGTERM (summary printed, the
 * run resumable). No stack trace is printed unless `CNNLAB_DEBUG=1`. Never exits itself, except
 * on a second Ctrl-C / SIGTERM (exit 130 / 143 at once).
 */
export async function runCli<R, F extends Json>(
  project: Project<R, F>,
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<number> {
  const out = options.out ?? ((text: string) => console.log(text));
  const err = options.err ?? ((text: string) => console.error(text));
  // A cluster node answering a runtime-facts probe (runtime_facts_probe.ts).
  if (args[0] === RUNTIME_FACTS_COMMAND) return await answerRuntimeFacts(project, args[1]);
  if (args[0] === "gc") return await runGcCommand(project, args.slice(1), { out, err });
  try {
    const cli = parseCliArgs(args);
    if (cli.help) {
      out(USAGE);
      return 0;
    }
    const layout = cacheLayout(resolveCacheDir(cli.cacheDir));
    let plan;
    try {
      plan = await planPipeline(project, cli.configs, { cacheDir: layout.root }, {
        overrides: cli.overrides,
        // Once the configs are known good, before anything is planned or run: an unusable cache
        // is an error, never "nothing to do".
        afterLoad: () => prepareCache(layout.root),
        runtimeFacts: runtimeFactsSource(project, {
          layout,
          overrides: cli.executor,
          lookOnly: cli.command === "status" || cli.dryRun,
          entry: options.entry ?? new URL(Deno.mainModule),
          err,
          jobs: cli.jobs,
        }),
      });
    } catch (error) {
      // The project's runtime facts or planner refused the config (e.g. a backend this machine
      // lacks): that is a configuration problem, exit 2, with the project's own message.
      if (
        error instanceof ConfigError || error instanceof CacheError || !(error instanceof Error)
      ) {
        throw error;
      }
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
    const settings = resolveExecutorSettings(plan.configs, cli.executor);
    if (cli.command === "status" || cli.dryRun) {
      const items = await explainStages(stages, layout, forced, {
        publishRoot: project.publishRoot,
      });
      for (const chunk of planTableChunks(items)) out(chunk);
      const toRun = items.filter((i) => !i.assessment.fresh).map((i) => i.stage);
      const estimates = await estimateStages(project, toRun, layout, err);
      for (const chunk of estimateTableChunks(toRun, estimates)) out(chunk);
      // The stages' keys only once a cluster job is recorded: a big sweep's report computes its
      // key (every run's params) only when asked.
      let keys: Set<string> | undefined;
      const queued = await queuedTable(layout, {
        has: (key) => (keys ??= new Set(stages.map((s) => s.key))).has(key),
      });
      if (queued) out(queued);
      return 0;
    }
    const executor = await createExecutor(settings, {
      layout,
      detach: cli.detach,
      lightKinds: project.lightStageKinds,
    });
    const preview = await previewRun(project, stages, layout, forced, err);
    if (preview.toRun.length > 0) {
      err(
        `${preview.toRun.length} stages to run, estimated ${
          describeTotal(preview.toRun, preview.estimates)
        }`,
      );
    }
    if (
      !await confirmLongRun(preview, {
        yes: cli.yes,
        ask: "ask" in options ? options.ask : terminalAsk(),
      })
    ) {
      err("Not started: the run was declined (--yes skips the question)");
      return 1;
    }
    const controller = new AbortController();
    // First Ctrl-C / SIGTERM: stop starting stages, ask running ones to stop; second: exit now.
    const stop = listenForStopSignals(controller, {
      onFirst: (signal) =>
        err(
          `${signal === "SIGINT" ? "Ctrl-C" : "SIGTERM"}: ${
            executor?.queuesDependents
              ? "cancelling the queued and running jobs (scancel)"
              : "stopping the running stages at their next batch (checkpoints are kept; Ctrl-C again to exit now)"
          }`,
        ),
    });
    const begun = performance.now();
    const invocation = beginInvocation({ layout, configs: plan.configs, stages, args, warn: err });
    let results;
    try {
      results = await runPipeline(stages, {
        layout,
        jobs: cli.jobs,
        isolate: cli.isolate || cli.jobs > 1,
        forced,
        reporter: pipelineProgressReporter(options.reporter ?? createConsoleReporter(), {
          stages: preview.toRun,
          estimates: preview.estimates,
          jobs: cli.jobs,
        }),
        signal: controller.signal,
        publishRoot: project.publishRoot,
        stageSetup: project.stageSetup,
        executor,
        detach: cli.detach,
      });
    } finally {
      stop.dispose();
      if (results === undefined) invocation.finish(undefined, 1, controller.signal.aborted);
    }
    out(
      summaryTable(results, (performance.now() - begun) / 1000, { where: executor !== undefined }),
    );
    const submitted = results.filter((r) => r.outcome === "submitted").length;
    if (submitted > 0) {
      err(
        `Detached: ${submitted} stage${
          submitted === 1 ? " is" : "s are"
        } queued or running on the cluster; status lists them, and running the pipeline again collects their results`,
      );
    }
    await reportAfterRun(project, results, out, err);
    if (results.every((r) => r.outcome === "fresh" || r.outcome === "restored")) {
      err(`Nothing to run: all ${results.length} stages are up to date`);
    }
    const failed = results.filter((r) => r.outcome === "failed");
    failed.forEach((r) => err(r.error!));
    let code = failed.length ? 1 : 0;
    if (stop.received) {
      err(
        "Interrupted: stopped stages keep their checkpoints and stages that had not started were skipped; run the same command again to resume",
      );
      code = interruptedExitCode(stop.received);
    }
    invocation.finish(results, code, controller.signal.aborted);
    return code;
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 2;
    }
    const debug = Deno.env.get("CNNLAB_DEBUG");
    if (error instanceof CacheError) err(debug ? error.stack ?? error.message : error.message);
    else if (error instanceof Error) {
      err(
        debug
          ? error.stack ?? error.message
          : `Error: ${error.message} (set CNNLAB_DEBUG=1 for details)`,
      );
    } else err(String(error));
    return 1;
  }
}

/** Hands the outcomes to the project's `afterRun` and prints what it returns. */
async function reportAfterRun<R, F extends Json>(
  project: Project<R, F>,
  results: readonly StageResult[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<void> {
  if (!project.afterRun) return;
  try {
    const text = await project.afterRun(results.map((r) => ({
      id: r.stage.id,
      kind: r.stage.kind,
      outcome: r.outcome,
      seconds: r.seconds,
      publish: r.stage.publish,
    })));
    if (text) out(text);
  } catch (error) {
    err(`Could not summarize the run: ${error instanceof Error ? error.message : error}`);
  }
}
