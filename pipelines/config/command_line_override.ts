/**
 * Command-line overrides, Hydra style: `train.lr=0.01` sets a run parameter in every run,
 * `lenet.train.lr=0.01` in the runs of one experiment, and `train.lr=0.1,0.01` sweeps it (a grid
 * with the config's own sweep). Values are YAML. Errors name the argument, in the same words as
 * errors in a config file, and stop the program with exit code 2 like them.
 * @module
 */
import { parse } from "yaml";
import type { z } from "zod";
import { didYouMean } from "./_did_you_mean.ts";
import { splitTopLevel } from "./_split_top_level.ts";
import { configError, formatValue } from "./config_error.ts";
import type { ConfigError, SourceLocation } from "./config_error.ts";
import { objectKeysAt } from "./schema_paths.ts";
import type { Json } from "../types.ts";

/** One `key=value` argument, parsed but not yet matched to a config. */
export interface ParsedOverride {
  /** The argument as given (messages quote it). */
  text: string;
  /** The key before `=`, split at dots: `["lenet", "train", "lr"]`. */
  path: string[];
  /** One value, or several for a sweep (`key=a,b,c`), each parsed as YAML. */
  values: Json[];
}

/** An override matched to one config: which runs it applies to and what it sets. */
export interface ConfigOverride {
  text: string;
  /** The experiment it targets; undefined for every experiment. */
  experiment?: string;
  /** Dotted run parameter path, e.g. `train.lr`. */
  key: string;
  /** One value, or several for a sweep. */
  values: Json[];
}

/** Where messages about an override point: the argument itself (no line or column). */
export function overrideLocation(text: string): SourceLocation {
  return { file: `override '${text}'`, line: 0, col: 0 };
}

function overrideError(text: string, reason: string): ConfigError {
  return configError(overrideLocation(text), reason);
}

/**
 * True when a command-line word is an override rather than a config file or a run glob: a key
 * of word characters with dots (`train.lr`, `lenet.model.fc_dropout`) or one word (`seed`),
 * then `=`. Run names such as `lenet-lr=0.01` have a `-` before their `=`, config files end in
 * `.yaml` or `.yml`.
 */
export function isOverrideArgument(word: string): boolean {
  if (/\.ya?ml$/.test(word)) return false;
  const key = word.match(/^([^=\s/*?]+)=/)?.[1];
  return key !== undefined && (key.includes(".") || /^\w+$/.test(key));
}

function parseYamlValue(text: string, whole: string): Json {
  try {
    return (parse(text, { logLevel: "error" }) ?? null) as Json;
  } catch (error) {
    const first = (error as Error).message.split("\n")[0].replace(
      / at line \d+, column \d+:?$/,
      "",
    );
    throw overrideError(whole, `its value is not valid YAML: ${first}`);
  }
}

/**
 * Parses one override argument.
 * @throws {ConfigError} for a missing `=`, an empty key or key segment, a value that is not
 * YAML, an unclosed bracket or quote, or a sweep that lists one value twice.
 */
export function parseOverride(text: string): ParsedOverride {
  const at = text.indexOf("=");
  if (at < 0) {
    throw overrideError(text, "it has no '=': write key=value, e.g. train.lr=0.01");
  }
  const key = text.slice(0, at);
  const path = key.split(".");
  if (key === "" || path.some((segment) => segment === "")) {
    throw overrideError(
      text,
      `its key must be a dotted parameter path such as train.lr: current value is ${
        formatValue(key)
      }`,
    );
  }
  const raw = text.slice(at + 1);
  const parts = splitTopLevel(raw);
  if (parts === undefined) {
    throw overrideError(text, `its value has an unclosed bracket or quote: ${formatValue(raw)}`);
  }
  const values = parts.map((part) => parseYamlValue(part, text));
  const seen = new Set<string>();
  for (const value of values) {
    const id = JSON.stringify(value);
    if (seen.has(id)) {
      throw overrideError(text, `it lists ${id} twice: each swept value may appear once`);
    }
    seen.add(id);
  }
  return { text, path, values };
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Options of {@linkcode resolveOverrides}. */
export interface ResolveOverridesOptions {
  /** The config's experiment names. */
  experiments: readonly string[];
  /** The project's run schema: its top-level keys are parameters, anything else an experiment. */
  runSchema: z.ZodType;
  /** The config file, for messages. */
  file: string;
}

/**
 * Matches overrides to a config: a first key segment that names an experiment targets that
 * experiment, a top-level run parameter targets every experiment.
 * @throws {ConfigError} for a first segment that is neither (with "did you mean"), one that is
 * both, an experiment without a key, or two overrides of overlapping keys for the same runs.
 */
export function resolveOverrides(
  parsed: readonly ParsedOverride[],
  options: ResolveOverridesOptions,
): ConfigOverride[] {
  const roots = objectKeysAt(options.runSchema, []);
  const resolved = parsed.map((override): ConfigOverride => {
    const [first, ...rest] = override.path;
    const isExperiment = options.experiments.includes(first);
    const isParam = roots.length === 0 || roots.includes(first);
    if (isExperiment && isParam) {
      throw overrideError(
        override.text,
        `'${first}' is both an experiment of ${options.file} and a parameter: rename the experiment to target it`,
      );
    }
    if (isExperiment) {
      if (rest.length === 0) {
        throw overrideError(
          override.text,
          `'${first}' names an experiment but no parameter: write e.g. ${first}.train.lr=0.01`,
        );
      }
      return {
        text: override.text,
        experiment: first,
        key: rest.join("."),
        values: override.values,
      };
    }
    if (!isParam) {
      const hint = didYouMean(first, [...roots, ...options.experiments]);
      throw overrideError(
        override.text,
        `'${first}' is neither a parameter nor an experiment of ${options.file}: ${hint}`,
      );
    }
    return { text: override.text, key: override.path.join("."), values: override.values };
  });
  resolved.forEach((override, i) => {
    const earlier = resolved.slice(0, i).find((o) =>
      o.experiment === override.experiment && overlaps(o.key, override.key)
    );
    if (earlier) {
      throw overrideError(
        override.text,
        `it sets '${override.key}' which override '${earlier.text}' already sets: give each parameter once`,
      );
    }
  });
  return resolved;
}

/**
 * The overrides that apply to one experiment: its own win over global ones whose key overlaps
 * theirs (the more specific target wins, whatever the order on the command line).
 */
export function overridesFor(
  overrides: readonly ConfigOverride[],
  experiment: string,
): ConfigOverride[] {
  const own = overrides.filter((o) => o.experiment === experiment);
  return overrides.filter((o) =>
    o.experiment === experiment ||
    (o.experiment === undefined && !own.some((mine) => overlaps(mine.key, o.key)))
  );
}
