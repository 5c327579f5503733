import { basename, extname, isAbsolute, relative, resolve } from "node:path";
import { canonicalJson } from "../hashing/canonical_json.ts";
import { locateInChain } from "./config_locator.ts";
import { expandRuns } from "./expand_runs.ts";
import { formatZodIssue } from "./format_zod_issue.ts";
import { loadConfigChain } from "./load_config_chain.ts";
import { sha256 } from "../hashing/sha256.ts";
import type { Json, Project, ResolvedConfig } from "../types.ts";

/** A resolved config before runtime facts are attached. */
export type LoadedConfig<R = Json> = Omit<ResolvedConfig<R>, "runtime">;

/**
 * Loads a config file: reads it and its `extends` chain, expands and validates the runs with
 * `project.runSchema` and `report:` with `project.reportSchema`.
 * @returns the config with runs, report options and a hash of both.
 * @throws {ConfigError} with `file:line:col` for anything wrong in the file(s).
 */
export function loadConfig<R>(
  given: string,
  project: Pick<Project<R>, "runSchema" | "reportSchema">,
): LoadedConfig<R> {
  // `./configs/a.yaml`, `configs/a.yaml` and `$PWD/configs/a.yaml` are one config (report
  // params hold the path): paths inside the cwd are shown relative to it.
  const inside = relative(Deno.cwd(), resolve(given));
  const file = inside.startsWith("..") || isAbsolute(inside) ? resolve(given) : inside;
  const chain = loadConfigChain(file);
  const name = chain.merged.name ?? basename(file, extname(file));
  const runs = expandRuns(chain, project.runSchema);
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
  const hash = sha256(canonicalJson({ name, runs, report: report.data }));
  return {
    name,
    path: file,
    hash,
    ...(chain.merged.description !== undefined ? { description: chain.merged.description } : {}),
    runs,
    report: report.data as Json,
  };
}
