import { overrideLocation } from "./command_line_override.ts";
import type { SourceLocation } from "./config_error.ts";
import type { Locate } from "./format_zod_issue.ts";
import { locateInYaml } from "./yaml_source.ts";
import type { YamlSource } from "./yaml_source.ts";

type Segment = string | number;

/**
 * Finds where a path of the merged config was written: the first file, in precedence order,
 * that has it. Falls back to the top file's first line so every message has a position.
 */
export function locateInChain(
  sources: readonly YamlSource[],
  path: readonly Segment[],
  options: { key?: boolean } = {},
): SourceLocation {
  return findInChain(sources, path, options) ?? { file: sources[0].file, line: 1, col: 1 };
}

/** Like {@linkcode locateInChain} but undefined when no file has the path. */
export function findInChain(
  sources: readonly YamlSource[],
  path: readonly Segment[],
  options: { key?: boolean } = {},
): SourceLocation | undefined {
  for (const source of sources) {
    const location = locateInYaml(source, path, options);
    if (location) return location;
  }
  return undefined;
}

/** Where the params of one expanded run came from, to point errors at the line that set a value. */
export interface RunOrigin {
  experiment: string;
  /** YAML path of the sweep block (`["sweep", 1]`) and, per dotted key, the index of the value used. */
  sweep?: { at: Segment[]; indices: Record<string, number> };
  /** True when `seeds:` set the run's `seed`. */
  seeded: boolean;
  /** Command-line overrides that set values of this run: dotted key and the argument. */
  overrides?: { key: string; text: string }[];
}

function startsWith(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(path[i]) === s);
}

/**
 * A {@linkcode Locate} for issues in one run's params: a sweep value, then the experiment, then
 * `defaults` (each searched through the `extends` chain), then the nearest enclosing block.
 */
export function runParamsLocator(sources: readonly YamlSource[], origin: RunOrigin): Locate {
  return (path, options) => {
    // An override wins over every file, so a problem at or inside (or around) its key is its own.
    for (const override of origin.overrides ?? []) {
      const key = override.key.split(".");
      if (path.length > 0 && (startsWith(path, key) || startsWith(key, path.map(String)))) {
        return overrideLocation(override.text);
      }
    }
    if (origin.seeded && path[0] === "seed") return locateInChain(sources, ["seeds"]);
    for (const [key, index] of Object.entries(origin.sweep?.indices ?? {})) {
      if (startsWith(path, key.split("."))) {
        return locateInChain(sources, [...origin.sweep!.at, "params", key, index]);
      }
    }
    const experiment = ["experiments", origin.experiment];
    for (let length = path.length; length >= 0; length--) {
      const prefix = path.slice(0, length);
      const keyOnly = length === path.length ? options : {};
      const found = findInChain(sources, [...experiment, ...prefix], keyOnly) ??
        (length > 0 ? findInChain(sources, ["defaults", ...prefix], keyOnly) : undefined);
      if (found) return found;
    }
    return locateInChain(sources, experiment, { key: true });
  };
}
