import type { z } from "zod";
import { didYouMean } from "./_did_you_mean.ts";
import { configError } from "./config_error.ts";
import { locateInChain } from "./config_locator.ts";
import type { SweepBlock } from "./config_schema.ts";
import { isKnownPath, knownPaths } from "./schema_paths.ts";
import type { Json } from "../types.ts";
import type { YamlSource } from "./yaml_source.ts";

/** One point of a sweep block: a value per dotted key, and which list element it was. */
export interface SweepPoint {
  block: string;
  /** YAML path of the block: `["sweep"]` or `["sweep", i]`. */
  at: (string | number)[];
  values: Record<string, Json>;
  indices: Record<string, number>;
}

/** A checked sweep block: the experiments it applies to and its points. */
export interface ExpandedSweep {
  name: string;
  experiments: string[];
  points: SweepPoint[];
}

/** Options of {@linkcode expandSweeps}. */
export interface ExpandSweepsOptions {
  sources: readonly YamlSource[];
  /** Experiment names, in file order. */
  experiments: string[];
  /** Used to check that every sweep key is a parameter path. */
  runSchema: z.ZodType;
}

function cartesian(keys: string[], lists: Record<string, unknown[]>): Record<string, number>[] {
  let points: Record<string, number>[] = [{}];
  for (const key of keys) {
    points = points.flatMap((p) => lists[key].map((_, i) => ({ ...p, [key]: i })));
  }
  return points;
}

/**
 * Checks `sweep:` blocks and lists their points: `zip` pairs the i-th values of every list,
 * `grid` takes the cartesian product (keys in file order, the last one varying fastest).
 * @throws {ConfigError} on duplicate block names, unknown experiments or keys, unequal zip lists.
 */
export function expandSweeps(
  sweep: SweepBlock | SweepBlock[] | undefined,
  options: ExpandSweepsOptions,
): ExpandedSweep[] {
  if (sweep === undefined) return [];
  const blocks = Array.isArray(sweep) ? sweep : [sweep];
  const seen = new Set<string>();
  return blocks.map((block, blockIndex) => {
    const at = Array.isArray(sweep) ? ["sweep", blockIndex] : ["sweep"];
    const where = (...path: (string | number)[]) =>
      locateInChain(options.sources, [...at, ...path]);
    if (seen.has(block.name)) {
      throw configError(
        where("name"),
        `sweep name '${block.name}' is used twice: give each sweep block its own name`,
      );
    }
    seen.add(block.name);
    (block.experiments ?? []).forEach((experiment, i) => {
      if (!options.experiments.includes(experiment)) {
        const hint = didYouMean(experiment, options.experiments);
        throw configError(
          where("experiments", i),
          `sweep '${block.name}' names experiment '${experiment}' which is not in 'experiments': ${hint}`,
        );
      }
    });
    const keys = Object.keys(block.params);
    if (keys.length === 0) {
      throw configError(
        where("params"),
        `sweep '${block.name}' must list at least one parameter under 'params'`,
      );
    }
    for (const key of keys) {
      if (!isKnownPath(options.runSchema, key)) {
        const hint = didYouMean(key, knownPaths(options.runSchema));
        throw configError(
          locateInChain(options.sources, [...at, "params", key], { key: true }),
          `sweep '${block.name}' key '${key}' is not a known parameter path: ${hint}`,
        );
      }
    }
    let indexSets: Record<string, number>[];
    if (block.mode === "zip") {
      const length = block.params[keys[0]].length;
      const odd = keys.find((k) => block.params[k].length !== length);
      if (odd) {
        throw configError(
          locateInChain(options.sources, [...at, "params", odd], { key: true }),
          `zip sweep '${block.name}' needs lists of equal length: '${odd}' has ${
            block.params[odd].length
          } values but '${keys[0]}' has ${length}`,
        );
      }
      indexSets = Array.from({ length }, (_, i) => Object.fromEntries(keys.map((k) => [k, i])));
    } else {
      indexSets = cartesian(keys, block.params);
    }
    const points = indexSets.map((indices) => ({
      block: block.name,
      at,
      indices,
      // Frozen: every run of the point (its seeds, other experiments) shares it as its sweep values.
      values: Object.freeze(
        Object.fromEntries(keys.map((k) => [k, block.params[k][indices[k]] as Json])),
      ),
    }));
    return { name: block.name, experiments: block.experiments ?? options.experiments, points };
  });
}
