/**
 * `deno task runs [config] [--model NAME] [--metric EXPR] [--limit N] [--cache-dir DIR]`:
 * past runs from the history, newest first, with the params that differ and their test
 * metrics (DVC's `exp show`).
 * @module
 */
import { hostname } from "node:os";
import { resolveCacheDir } from "../../pipelines/cache/cache_layout.ts";
import { parseToolArgs, positiveInteger, UsageError } from "./_parse_tool_args.ts";
import { loadPastRun } from "./load_past_run.ts";
import { distinctRuns, readHistoryRecords, runsOfRecords } from "./past_runs.ts";
import { matchesConfig, meetsCondition, modelName, parseMetricCondition } from "./run_filter.ts";
import { runsTable } from "./runs_table.ts";

/** Usage of `deno task runs`. */
export const RUNS_USAGE = `usage: deno task runs [config.yaml|name] [options]
  --model NAME      only runs of this model (model.name)
  --metric EXPR     only runs whose test metric meets EXPR: top1>=0.9, top1>90%, loss<0.5
                    (metrics: top1, top5, loss, epochs, seconds)
  --limit N         at most N runs (default 20)
  --all             every run, not only the newest 20
  --cache-dir DIR   cache folder (default $CNNLAB_CACHE, else .cache)`;

/** Options of {@linkcode runRunsCli}. */
export interface ToolIo {
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Time zone of times shown. Default: the machine's. */
  timeZone?: string;
}

function isAlive(pid: number, host: string): boolean {
  if (host !== hostname()) return true; // another machine's process: cannot tell, say running
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return Deno.build.os !== "linux";
  }
}

/**
 * Runs `deno task runs`.
 * @returns the exit code: 0 (also when nothing matches), 1 when the history cannot be read, 2
 * for bad arguments.
 */
export async function runRunsCli(args: readonly string[], io: ToolIo = {}): Promise<number> {
  const out = io.out ?? ((t: string) => console.log(t));
  const err = io.err ?? ((t: string) => console.error(t));
  try {
    const { values, positionals } = parseToolArgs(args, {
      model: { type: "string" },
      metric: { type: "string" },
      limit: { type: "string" },
      all: { type: "boolean" },
      "cache-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      out(RUNS_USAGE);
      return 0;
    }
    if (positionals.length > 1) {
      throw new UsageError(
        `Cannot parse the command line as it names ${positionals.length} configs: give at most one`,
      );
    }
    let condition;
    try {
      condition = values.metric === undefined ? undefined : parseMetricCondition(values.metric);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const limit = values.all ? Infinity : positiveInteger("limit", values.limit, 20);
    const cache = resolveCacheDir(values["cache-dir"]);
    const [config] = positionals;
    let runs = distinctRuns(runsOfRecords(readHistoryRecords(cache)));
    if (runs.length === 0) {
      out(`No runs recorded in ${cache} yet: run \`deno task pipeline <config>\` first`);
      return 0;
    }
    if (config !== undefined) runs = runs.filter((r) => matchesConfig(r, config));
    if (values.model !== undefined) runs = runs.filter((r) => modelName(r) === values.model);
    const rows = [];
    for (const past of runs) {
      if (rows.length >= limit) break;
      const loaded = await loadPastRun(cache, past);
      if (condition && !meetsCondition(loaded, condition)) continue;
      rows.push({ past, loaded });
    }
    if (rows.length === 0) {
      out("No past run matches");
      return 0;
    }
    out(runsTable(rows, { timeZone: io.timeZone, isAlive }));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n${RUNS_USAGE}`);
      return 2;
    }
    err((error as Error).message);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await runRunsCli(Deno.args));
