import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import { configError, formatValue } from "./config_error.ts";
import { configFileSchema } from "./config_schema.ts";
import type { ConfigFile } from "./config_schema.ts";
import { deepMerge, isPlainObject } from "./deep_merge.ts";
import { formatZodIssue } from "./format_zod_issue.ts";
import { locateInYaml, readYamlSource } from "./yaml_source.ts";
import type { YamlSource } from "./yaml_source.ts";

/** A config file merged with everything it `extends`. */
export interface ConfigChain {
  /** The file itself first, then its bases from the highest precedence (last listed) down. */
  sources: YamlSource[];
  /** The merged content (child wins, maps merge deeply); `extends` removed, `name` only from the file. */
  merged: Omit<ConfigFile, "extends">;
}

function validateFile(source: YamlSource): ConfigFile {
  const where = { file: source.file, line: 1, col: 1 };
  if (source.value === null || source.value === undefined) {
    throw configError(where, "the file is empty");
  }
  if (!isPlainObject(source.value)) {
    // Say what it holds, never its content: the file may not be a config at all.
    const holds = Array.isArray(source.value) ? "a list" : `a ${typeof source.value}`;
    throw configError(where, `the file must be a map of config keys: it holds ${holds}`);
  }
  const parsed = configFileSchema.safeParse(source.value);
  if (!parsed.success) {
    throw formatZodIssue(parsed.error.issues[0], {
      schema: configFileSchema,
      input: source.value,
      locate: (path, options) => locateInYaml(source, path, options) ?? where,
    });
  }
  const experiments = parsed.data.experiments;
  if (experiments) {
    for (const key of Object.keys(experiments)) experiments[key] ??= {};
  }
  return parsed.data;
}

/** Why `baseFile` cannot be a base config, or undefined. Foreign files are never read. */
function baseProblem(base: string, baseFile: string): string | undefined {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(baseFile);
  } catch {
    return "names a file that does not exist";
  }
  if (info.isDirectory) return "names a folder, not a config file";
  if (!info.isFile) return "names something that is not a regular file";
  if (![".yaml", ".yml"].includes(extname(base).toLowerCase())) {
    return "must name a config file (.yaml or .yml)";
  }
  return undefined;
}

function load(file: string, stack: string[]): ConfigChain {
  const source = readYamlSource(file);
  const { extends: bases, name, ...content } = validateFile(source);
  const baseList = bases === undefined ? [] : Array.isArray(bases) ? bases : [bases];
  let merged: Record<string, unknown> = {};
  const baseSources: YamlSource[][] = [];
  baseList.forEach((base, index) => {
    const at = locateInYaml(source, Array.isArray(bases) ? ["extends", index] : ["extends"]) ??
      { file, line: 1, col: 1 };
    // Relative to the extending file; an absolute path is used as it is.
    const baseFile = isAbsolute(base) ? base : join(dirname(file), base);
    const absolute = resolve(baseFile);
    if (stack.includes(absolute)) {
      const cycle = [...stack.slice(stack.indexOf(absolute)), absolute].map((p) =>
        p.split("/").pop()
      );
      throw configError(at, `'extends' forms a cycle: ${cycle.join(" → ")}`);
    }
    const problem = baseProblem(base, baseFile);
    if (problem) {
      throw configError(
        at,
        `'extends' ${problem}: current value is ${formatValue(base)} (looked for ${baseFile})`,
      );
    }
    const chain = load(baseFile, [...stack, absolute]);
    baseSources.push(chain.sources);
    merged = deepMerge(merged, chain.merged) as Record<string, unknown>;
  });
  merged = deepMerge(merged, content) as Record<string, unknown>;
  delete merged.name;
  if (name !== undefined) merged.name = name;
  return {
    sources: [source, ...baseSources.reverse().flat()],
    merged: merged as ConfigChain["merged"],
  };
}

/**
 * Reads a config file and the files it `extends` (paths relative to the extending file; a list
 * is merged in order, later entries winning), validating each file's structure.
 * @throws {ConfigError} on unreadable files, YAML errors, unknown keys, wrong types, cycles.
 */
export function loadConfigChain(file: string): ConfigChain {
  return load(file, [resolve(file)]);
}
