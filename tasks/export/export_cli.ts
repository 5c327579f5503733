/**
 * `deno task export <config> <run> <dir> [--cache-dir DIR]`: writes the trained model of the
 * newest completed run of that name (from the history) as a TF.js layers model with its
 * preprocessing (tasks/artifacts/preprocessing.ts).
 * @module
 */
import { resolveCacheDir } from "../../pipelines/cache/cache_layout.ts";
import { didYouMean } from "../../pipelines/config/_did_you_mean.ts";
import { parseToolArgs, UsageError } from "../experiments/_parse_tool_args.ts";
import { loadPastRun } from "../experiments/load_past_run.ts";
import { readHistoryRecords, runsOfRecords } from "../experiments/past_runs.ts";
import { matchesConfig } from "../experiments/run_filter.ts";
import type { ToolIo } from "../experiments/runs_cli.ts";
import { exportModel } from "./export_model.ts";

/** Usage of `deno task export`. */
export const EXPORT_USAGE = `usage: deno task export <config.yaml|name> <run> <dir> [options]
  writes <dir>/model.json, weights.bin (a TF.js layers model) and preprocessing.json
  for the newest completed run of that name (see \`deno task runs\`)
  --cache-dir DIR   cache folder (default $CNNLAB_CACHE, else .cache)`;

/**
 * Runs `deno task export`.
 * @returns 0, 1 when the run's artifacts cannot be read or written, 2 for bad arguments or a
 * run that was never completed.
 */
export async function runExportCli(args: readonly string[], io: ToolIo = {}): Promise<number> {
  const out = io.out ?? ((t: string) => console.log(t));
  const err = io.err ?? ((t: string) => console.error(t));
  try {
    const { values, positionals } = parseToolArgs(args, {
      "cache-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      out(EXPORT_USAGE);
      return 0;
    }
    if (positionals.length !== 3) {
      throw new UsageError(
        `Cannot export as it takes a config, a run and a folder: ${positionals.length} given`,
      );
    }
    const [config, name, dir] = positionals;
    const cache = resolveCacheDir(values["cache-dir"]);
    const ofConfig = runsOfRecords(readHistoryRecords(cache)).filter((r) =>
      matchesConfig(r, config)
    );
    if (ofConfig.length === 0) {
      throw new UsageError(`Cannot export as no run of config '${config}' is recorded in ${cache}`);
    }
    const named = ofConfig.filter((r) => r.run.name === name);
    if (named.length === 0) {
      const names = [...new Set(ofConfig.map((r) => r.run.name))];
      throw new UsageError(
        `Cannot export as config '${config}' has no run '${name}': ${didYouMean(name, names)}`,
      );
    }
    const reasons: string[] = [];
    for (const past of named) {
      const loaded = await loadPastRun(cache, past);
      if (!loaded.ok) {
        reasons.push(loaded.detail);
        continue;
      }
      const files = await exportModel(cache, loaded.run, dir);
      out(
        `exported run '${name}' of invocation ${past.invocation.id} (test top-1 ${
          loaded.run.metrics.top1 === null ? "—" : `${(loaded.run.metrics.top1 * 100).toFixed(2)} %`
        }) to ${files.join(", ")}`,
      );
      return 0;
    }
    throw new Error(
      `Cannot export run '${name}' as no recorded run of it can be read: ${reasons[0]}`,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n${EXPORT_USAGE}`);
      return 2;
    }
    err((error as Error).message);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await runExportCli(Deno.args));
