/**
 * `gc [config…] [--keep-last N] [--dry-run] [--cache-dir DIR]`: removes cache entries that the
 * given configs (default: every config under `configs/`) no longer reach.
 * @module
 */
import { hostname } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cacheLayout, resolveCacheDir } from "../cache/cache_layout.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { collectGarbage, type GarbageReport } from "../cache/gc.ts";
import { didYouMean } from "../config/_did_you_mean.ts";
import { parseOverride } from "../config/command_line_override.ts";
import { ConfigError, formatValue } from "../config/config_error.ts";
import { loadConfigChain } from "../config/load_config_chain.ts";
import { planPipeline } from "../graph/plan_pipeline.ts";
import { openHistory } from "../history/history_store.ts";
import type { Json, Project } from "../types.ts";
import { explainStages } from "./explain_stages.ts";
import { formatTable } from "./format_table.ts";

/** Usage of `gc`. */
export const GC_USAGE = `usage: gc [config.yaml...] [options]
  config.yaml...      configs whose stages are kept (default: every config under configs/)
  --keep-last N       also keep the N newest unreachable entries of each stage id (default 0)
  --dry-run           only list what would be removed
  --cache-dir DIR     cache folder (default $CNNLAB_CACHE, else .cache)`;

const OPTIONS = {
  "keep-last": { type: "string" },
  "dry-run": { type: "boolean" },
  "cache-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** `12.3 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Every `.yaml`/`.yml` under `dir`, except files another one `extends` (bases, not configs). */
export function defaultConfigs(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (
      const entry of [...Deno.readDirSync(folder)].sort((a, b) => a.name.localeCompare(b.name))
    ) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  const bases = new Set<string>();
  for (const file of files) {
    for (const source of loadConfigChain(file).sources.slice(1)) bases.add(resolve(source.file));
  }
  return files.filter((f) => !bases.has(resolve(f)));
}

/** Configs and overrides of pipelines still running on this cache (another process, alive). */
function runningInvocations(
  layout: CacheLayout,
): { pid: number; configs: string[]; overrides: string[] }[] {
  const store = openHistory(layout.root);
  if (store === undefined) return [];
  try {
    return store.list().filter((r) => {
      if (r.outcome !== "running" || (r.pid === Deno.pid && r.host === hostname())) return false;
      if (r.host !== hostname()) return true; // another machine's: cannot tell, assume it runs
      try {
        Deno.statSync(`/proc/${r.pid}`);
        return true;
      } catch {
        return Deno.build.os !== "linux";
      }
    }).map((r) => ({
      pid: r.pid,
      configs: r.configs.map((c) => resolve(r.cwd, c.path)),
      overrides: r.overrides,
    }));
  } finally {
    store.close();
  }
}

/** Fingerprints of every stage of the configs whose key is known now (as `status` finds them). */
async function reachableFrom<R, F extends Json>(
  project: Project<R, F>,
  layout: CacheLayout,
  configs: readonly string[],
  overrides: readonly string[],
): Promise<Set<string>> {
  const reachable = new Set<string>();
  for (const config of configs) {
    const plan = await planPipeline(project, [config], { cacheDir: layout.root }, {
      overrides: overrides.map(parseOverride),
    });
    for (const item of await explainStages(plan.stages, layout)) {
      if (item.assessment.fingerprint) reachable.add(item.assessment.fingerprint);
    }
  }
  return reachable;
}

function printReport(
  report: GarbageReport,
  options: { dryRun: boolean; keepLast: number; root: string },
  out: (text: string) => void,
): void {
  if (report.removed.length > 0) {
    out(formatTable(
      [options.dryRun ? "would remove" : "removed", "stage", "size"],
      report.removed.map((r) => [relative(options.root, r.path), r.id, formatBytes(r.bytes)]),
    ));
  }
  const entries = report.removed.filter((r) => r.id !== "checkpoint").length;
  const checkpoints = report.removed.length - entries;
  const verb = options.dryRun ? "would free" : "freed";
  const kept = [
    `${report.reachable} reachable`,
    ...(options.keepLast > 0 ? [`${report.recent} by --keep-last ${options.keepLast}`] : []),
    ...(report.locked.length ? [`${report.locked.length} locked by another process`] : []),
  ];
  out(
    `gc: ${verb} ${
      formatBytes(report.bytes)
    } (${report.bytes} bytes) in ${entries} entries and ${checkpoints} checkpoint folders; kept ${
      kept.join(", ")
    }`,
  );
}

/**
 * Runs `gc`.
 * @returns 0, 1 when a running pipeline's configs cannot be planned (nothing is removed), 2 for
 * bad arguments or configs.
 */
export async function runGcCommand<R, F extends Json>(
  project: Project<R, F>,
  args: readonly string[],
  io: { out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = (error as Error).message.match(/^Unknown option '(-{1,2}[^']+)'/)?.[1];
    const reason = unknown
      ? `'${unknown}' is not a known option: ${
        didYouMean(unknown.replace(/^-+/, ""), Object.keys(OPTIONS))
      }`
      : (error as Error).message.split("\n")[0].split(". ")[0].replace(/\.$/, "");
    io.err(`Cannot parse the command line as ${reason}\n${GC_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(GC_USAGE);
    return 0;
  }
  const keepLast = values["keep-last"] === undefined ? 0 : Number(values["keep-last"]);
  if (!Number.isInteger(keepLast) || keepLast < 0) {
    io.err(
      `Cannot collect garbage as --keep-last must be a whole number: current value is ${
        formatValue(values["keep-last"])
      }`,
    );
    return 2;
  }
  const layout = cacheLayout(resolveCacheDir(values["cache-dir"]));
  try {
    let configs = positionals;
    if (configs.length === 0) {
      try {
        configs = defaultConfigs("configs");
      } catch (error) {
        if (error instanceof ConfigError) throw error;
        throw new ConfigError(
          `Cannot collect garbage as no config was given and configs/ cannot be listed: ${
            (error as Error).message
          }`,
        );
      }
    }
    io.err(`gc: keeping what ${configs.length} configs reach in ${layout.root}`);
    const reachable = await reachableFrom(project, layout, configs, []);
    for (const running of runningInvocations(layout)) {
      try {
        const theirs = await reachableFrom(project, layout, running.configs, running.overrides);
        theirs.forEach((fp) => reachable.add(fp));
      } catch (error) {
        io.err(
          `Cannot collect garbage as pipeline ${running.pid} is running ${
            running.configs.join(", ")
          } on this cache and its stages cannot be planned now (${
            (error as Error).message
          }): run gc after it ends`,
        );
        return 1;
      }
    }
    const report = await collectGarbage(layout, {
      reachable,
      keepLast,
      dryRun: values["dry-run"] ?? false,
    });
    printReport(
      report,
      { dryRun: values["dry-run"] ?? false, keepLast, root: layout.root },
      io.out,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    io.err(`Cannot collect garbage: ${(error as Error).message}`);
    return 1;
  }
}
