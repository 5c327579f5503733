import { basename, extname, isAbsolute, relative, resolve } from "node:path";
import { canonicalSha256 } from "../hashing/canonical_json.ts";
import { resolveOverrides } from "./command_line_override.ts";
import type { ParsedOverride } from "./command_line_override.ts";
import { configError, formatValue } from "./config_error.ts";
import { nameProblem } from "./safe_name.ts";
import { locateInChain } from "./config_locator.ts";
import { executorSchema, type ExecutorSettings } from "./executor_schema.ts";
import { expandRuns } from "./expand_runs.ts";
import { formatZodIssue } from "./format_zod_issue.ts";
import { loadConfigChain } from "./load_config_chain.ts";
import type { Json, Project, ResolvedConfig } from "../types.ts";

/** A resolved config before runtime facts are attached. */
export type LoadedConfig<R = Json> = Omit<ResolvedConfig<R>, "runtime"> & {
  /** The `executor:` section (defaults applied), when the config or a base has one. */
  executor?: ExecutorSettings;
};

/** Options of {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** Command-line overrides (`parseOverride`), applied after the files. Default: none. */
  overrides?: readonly ParsedOverride[];
}

/**
 * Loads a config file: reads it and its `extends` chain, applies command-line overrides,
 * expands and validates the runs with `project.runSchema`, `report:` with
 * `project.reportSchema` and `executor:` with `executorSchema`.
 * @returns the config with runs, report options and a hash of both.
 * @throws {ConfigError} with `file:line:col` (or the override) for anything wrong.
 */
export function loadConfig<R>(
  given: string,
  project: Pick<Project<R>, "runSchema" | "reportSchema" | "unnamedOverrideKeys">,
  options: LoadConfigOptions = {},
): LoadedConfig<R> {
  // `./configs/a.yaml`, `configs/a.yaml` and `$PWD/configs/a.yaml` are one config (report
  // params hold the path): paths inside the cwd are shown relative to it.
  const inside = relative(Deno.cwd(), resolve(given));
  const file = inside.startsWith("..") || isAbsolute(inside) ? resolve(given) : inside;
  const chain = loadConfigChain(file);
  const name = chain.merged.name ?? basename(file, extname(file));
  const problem = chain.merged.name === undefined ? nameProblem(name) : undefined;
  if (problem !== undefined) {
    // The file name gives the report folder's name: it must be a safe name too.
    throw configError(
      { file, line: 1, col: 1 },
      `the file name gives the config name ${
        formatValue(name)
      }, which is not an allowed name: ${problem}; give the config a 'name:'`,
    );
  }
  const parsed = options.overrides ?? [];
  const overrides = parsed.length === 0 ? [] : resolveOverrides(parsed, {
    experiments: Object.keys(chain.merged.experiments ?? {}),
    runSchema: project.runSchema,
    file,
  });
  const runs = expandRuns(chain, project.runSchema, overrides, project.unnamedOverrideKeys);
  const reportInput = chain.merged.report ?? {};
  const report = project.reportSchema.safeParse(reportInput);
  if (!report.success) {
    throw formatZodIssue(report.error.issues[0], {
      schema: project.reportSchema,
      input: reportInput,
      labelPrefix: ["report"],
      locate: (path, options) => locateInChain(chain.sources, ["report", ...path], options),
    });
  }
  let executor: ExecutorSettings | undefined;
  if (chain.merged.executor !== undefined) {
    const section = executorSchema.safeParse(chain.merged.executor);
    if (!section.success) {
      throw formatZodIssue(section.error.issues[0], {
        schema: executorSchema,
        input: chain.merged.executor,
        labelPrefix: ["executor"],
        locate: (path, options) => locateInChain(chain.sources, ["executor", ...path], options),
      });
    }
    executor = section.data;
  }
  const loaded = {
    name,
    path: file,
    ...(parsed.length > 0 ? { overrides: parsed.map((o) => o.text) } : {}),
    ...(chain.merged.description !== undefined ? { description: chain.merged.description } : {}),
    runs,
    report: report.data as Json,
    ...(executor ? { executor } : {}),
  };
  let hash: string | undefined;
  return Object.defineProperty(loaded, "hash", {
    enumerable: true,
    // Streamed: the text of a 100,000-run config is never built whole (same bytes, same hash).
    get: () => hash ??= canonicalSha256({ name, runs, report: report.data }),
  }) as typeof loaded & { readonly hash: string };
}
