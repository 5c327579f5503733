import type { z } from "zod";
import { overrideLocation, overridesFor } from "./command_line_override.ts";
import type { ConfigOverride } from "./command_line_override.ts";
import { configError, formatValue } from "./config_error.ts";
import { MAX_RUN_NAME_BYTES, nameProblem } from "./safe_name.ts";
import { freezeDeeply } from "../hashing/canonical_json.ts";
import { locateInChain, runParamsLocator } from "./config_locator.ts";
import type { RunOrigin } from "./config_locator.ts";
import type { ConfigChain } from "./load_config_chain.ts";
import { deepMerge, isPlainObject } from "./deep_merge.ts";
import { formatZodIssue } from "./format_zod_issue.ts";
import { expandSweeps } from "./sweep_points.ts";
import type { SweepPoint } from "./sweep_points.ts";
import type { ExpandedRun, Json } from "../types.ts";

/**
 * Sets a dotted key path in `target`, copying each map on the way instead of changing it: runs
 * share their experiment's merged params and only the path they set is their own.
 */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = isPlainObject(node[key]) ? { ...(node[key] as Record<string, unknown>) } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Merges an override's value into the params at a dotted path: maps merge as in a file. */
function mergePath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node: unknown = target;
  for (const key of keys) node = isPlainObject(node) ? node[key] : undefined;
  setPath(target, dotted, deepMerge(node, value));
}

/**
 * A sweep value as it appears in a run name. Run names become stage ids and file names, so no
 * quotes, braces, spaces or '/': lists are `a,b`, maps `k:v,k:v`.
 */
function formatNameValue(value: Json): string {
  if (Array.isArray(value)) return value.map(formatNameValue).join(",");
  if (value !== null && typeof value === "object") {
    return Object.entries(value).map(([k, v]) => `${k}:${formatNameValue(v)}`).join(",");
  }
  // deno-lint-ignore no-control-regex
  return String(value).replace(/[\s/\\\u0000-\u001f\u007f-\u009f]+/g, "_");
}

// A sweep's key list → each key's label: every point of a sweep has the same keys.
const keyLabels = new Map<string, string[]>();

/** `conv_dropout=0.1-fc_dropout=0.5`: last key segment, or the whole path when that is ambiguous. */
function pointLabel(point: SweepPoint): string {
  const keys = Object.keys(point.values);
  const id = keys.join("\u0000");
  let labels = keyLabels.get(id);
  if (labels === undefined) {
    const last = (k: string) => k.split(".").pop()!;
    labels = keys.map((k) =>
      keys.filter((other) => last(other) === last(k)).length > 1 ? k : last(k)
    );
    keyLabels.set(id, labels);
  }
  let label = "";
  for (let i = 0; i < keys.length; i++) {
    label += `${i > 0 ? "-" : ""}${labels[i]}=${formatNameValue(point.values[keys[i]])}`;
  }
  return label;
}

function seedList(
  seeds: number | number[] | undefined,
  chain: ConfigChain,
): (number | undefined)[] {
  if (seeds === undefined) return [undefined];
  if (typeof seeds === "number") return Array.from({ length: seeds }, (_, i) => i);
  const duplicate = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (duplicate !== undefined) {
    const at = locateInChain(chain.sources, ["seeds", seeds.lastIndexOf(duplicate)]);
    throw configError(at, `'seeds' lists ${duplicate} twice: each seed may appear once`);
  }
  return seeds;
}

/** One run before validation. */
interface Candidate {
  name: string;
  experiment: string;
  point?: SweepPoint;
  seed?: number;
  /** The experiment's merged params (defaults ⊕ experiment), shared by its runs: never changed. */
  base: Record<string, unknown>;
  /** The command-line overrides applied, with the value each gave this run. */
  overrides: { override: ConfigOverride; value: Json }[];
  /** The swept overrides' values of this run (dotted key → value). */
  overrideSweep: Record<string, Json>;
}

/** Every combination of the swept overrides' values (a grid, in argument order). */
function overridePoints(overrides: readonly ConfigOverride[]): Map<ConfigOverride, Json>[] {
  let points: Map<ConfigOverride, Json>[] = [new Map()];
  for (const override of overrides) {
    points = points.flatMap((point) =>
      override.values.map((value) => new Map([...point, [override, value]]))
    );
  }
  return points;
}

/** `lr=0.01`: the last key segment, or the whole key where two labels of the run end alike. */
function overrideLabels(keys: readonly string[], taken: readonly string[]): (k: string) => string {
  const last = (k: string) => k.split(".").pop()!;
  const all = [...keys, ...taken];
  return (k) => all.filter((other) => last(other) === last(k)).length > 1 ? k : last(k);
}

/**
 * @throws {ConfigError} at an override whose key a sweep of the experiment also varies, or
 * that sets `seed` when `seeds:` does.
 */
function checkOverrideConflicts(
  overrides: readonly ConfigOverride[],
  sweeps: readonly { name: string; keys: string[] }[],
  seeded: boolean,
  experiment: string,
): void {
  const overlaps = (a: string, b: string) =>
    a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  for (const override of overrides) {
    const where = overrideLocation(override.text);
    for (const sweep of sweeps) {
      const key = sweep.keys.find((k) => overlaps(k, override.key));
      if (key !== undefined) {
        throw configError(
          where,
          `sweep '${sweep.name}' already varies '${key}' for experiment '${experiment}': sweep it on the command line instead (${key}=a,b) or drop the override`,
        );
      }
    }
    if (seeded && overlaps(override.key, "seed")) {
      throw configError(
        where,
        `'seeds:' of the config sets 'seed' for every run: drop the override or the config's 'seeds:'`,
      );
    }
  }
}

// The swept overrides' values of a run no override sweeps: shared, never changed.
const NO_VALUES: Record<string, Json> = Object.freeze({});

/** Lists every run with its merged, unvalidated params, in file order. */
function candidates(
  chain: ConfigChain,
  experiments: string[],
  runSchema: z.ZodType,
  allOverrides: readonly ConfigOverride[],
  unnamedKeys: readonly string[],
): Candidate[] {
  const named = (key: string) => !unnamedKeys.some((k) => key === k || key.startsWith(`${k}.`));
  const { merged, sources } = chain;
  const sweeps = expandSweeps(merged.sweep, { sources, experiments, runSchema });
  const seeds = seedList(merged.seeds, chain);
  return experiments.flatMap((experiment) => {
    const base = deepMerge(merged.defaults ?? {}, merged.experiments![experiment]);
    const mine = sweeps.filter((s) => s.experiments.includes(experiment));
    const overrides = overridesFor(allOverrides, experiment);
    checkOverrideConflicts(
      overrides,
      mine.map((s) => ({ name: s.name, keys: Object.keys(s.points[0]?.values ?? {}) })),
      merged.seeds !== undefined,
      experiment,
    );
    const points = mine.length ? mine.flatMap((s) => s.points) : [undefined];
    const swept = overridePoints(overrides.filter((o) => o.values.length > 1));
    return points.flatMap((point) =>
      swept.flatMap((overridePoint) =>
        seeds.map((seed) => {
          const applied = overrides.map((override) => ({
            override,
            value: overridePoint.get(override) ?? override.values[0],
          }));
          let name = point ? `${experiment}-${pointLabel(point)}` : experiment;
          if (applied.length > 0) {
            const label = overrideLabels(
              applied.map((a) => a.override.key),
              Object.keys(point?.values ?? {}),
            );
            for (const { override, value } of applied) {
              if (named(override.key)) name += `-${label(override.key)}=${formatNameValue(value)}`;
            }
          }
          if (seeds.length > 1) name += `-seed=${seed}`;
          const overrideSweep = overridePoint.size === 0 ? NO_VALUES : Object.fromEntries(
            [...overridePoint].map(([override, value]) => [override.key, value]),
          );
          return {
            name,
            experiment,
            point,
            seed,
            base: base as Record<string, unknown>,
            overrides: applied,
            overrideSweep,
          };
        })
      )
    );
  });
}

/**
 * A run's merged, unvalidated params (defaults ⊕ experiment ⊕ overrides ⊕ sweep values ⊕ seed),
 * built when it is validated so that a big sweep never holds every run's unvalidated params.
 */
function paramsOf(run: Candidate): Record<string, unknown> {
  const params = { ...run.base };
  for (const { override, value } of run.overrides) mergePath(params, override.key, value);
  for (const [key, value] of Object.entries(run.point?.values ?? {})) setPath(params, key, value);
  if (run.seed !== undefined) params.seed = run.seed;
  return params;
}

/**
 * Shares equal sub-blocks of validated params between runs (a sweep over `train.lr` leaves
 * `data`, `model`, … equal in every run): a 100,000-run sweep then holds each distinct block
 * once. Shared blocks are frozen, so no consumer can change one run's params through another's.
 */
class ParamsInterner {
  #blocks = new Map<string, unknown>();
  /** Key → the block the previous run shared there: consecutive runs mostly repeat it. */
  #previous = new Map<string, unknown>();

  share<R>(params: R): R {
    if (!isPlainObject(params)) return params;
    const record = params as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (value === null || typeof value !== "object") continue;
      const previous = this.#previous.get(key);
      if (previous !== undefined && sameJson(value, previous)) {
        record[key] = previous;
        continue;
      }
      const id = `${key}\u0000${JSON.stringify(value)}`;
      let shared = this.#blocks.get(id);
      if (shared === undefined) this.#blocks.set(id, shared = freezeDeeply(value));
      record[key] = shared;
      this.#previous.set(key, shared);
    }
    return params;
  }
}

/** Whether two JSON values serialize alike (`JSON.stringify`), keys in the same order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const va = (a as Record<string, unknown>)[ka[i]], vb = (b as Record<string, unknown>)[kb[i]];
    if (!sameJson(va, vb)) return false;
  }
  return true;
}

/**
 * @throws {ConfigError} at the second producer of a run name, or at the sweep block or experiment
 * whose run name is not a safe name (too long).
 */
function checkUniqueNames(runs: Candidate[], chain: ConfigChain): void {
  const producedBy = new Map<string, string>();
  for (const { name, point, experiment } of runs) {
    const source = point ? `sweep '${point.block}'` : `experiment '${experiment}'`;
    const problem = nameProblem(name, { maxBytes: MAX_RUN_NAME_BYTES, runName: true });
    if (problem !== undefined) {
      const at = point
        ? locateInChain(chain.sources, point.at)
        : locateInChain(chain.sources, ["experiments", experiment], { key: true });
      throw configError(
        at,
        `run name ${formatValue(name)} (from ${source}) is not an allowed name: ${problem}${
          problem.includes("bytes long")
            ? "; shorten the experiment name or the sweep's values"
            : ""
        }`,
      );
    }
    const previous = producedBy.get(name);
    if (previous !== undefined) {
      const at = point
        ? locateInChain(chain.sources, point.at)
        : locateInChain(chain.sources, ["experiments", experiment], { key: true });
      throw configError(
        at,
        `run name '${name}' is produced twice (by ${previous} and ${source}): make the sweep values or experiment names differ`,
      );
    }
    producedBy.set(name, source);
  }
}

/** Validates one run's params. @throws {ConfigError} at the line that set the bad value. */
function validateRun<R>(
  run: Candidate,
  chain: ConfigChain,
  runSchema: z.ZodType<R>,
): ExpandedRun<R> {
  const input = paramsOf(run);
  const parsed = runSchema.safeParse(input);
  if (!parsed.success) {
    const origin: RunOrigin = {
      experiment: run.experiment,
      sweep: run.point && { at: run.point.at, indices: run.point.indices },
      seeded: run.seed !== undefined,
      overrides: run.overrides.map(({ override }) => ({ key: override.key, text: override.text })),
    };
    throw formatZodIssue(parsed.error.issues[0], {
      schema: runSchema,
      input,
      locate: runParamsLocator(chain.sources, origin),
      context: `run '${run.name}'`,
    });
  }
  const params = parsed.data;
  const seedParam = isPlainObject(params) ? params.seed : undefined;
  const swept = Object.keys(run.overrideSweep).length > 0;
  const sweep = run.point || swept
    ? {
      name: run.point?.block ?? COMMAND_LINE_SWEEP,
      values: swept ? { ...run.point?.values, ...run.overrideSweep } : run.point!.values,
    }
    : undefined;
  return {
    name: run.name,
    experiment: run.experiment,
    ...(sweep ? { sweep } : {}),
    ...(run.overrides.length > 0
      ? {
        overrides: Object.fromEntries(run.overrides.map((o) => [o.override.key, o.value])),
      }
      : {}),
    seed: typeof seedParam === "number" ? seedParam : run.seed ?? 0,
    params,
  };
}

/** The sweep name of runs that only command-line sweeps (`key=a,b`) vary. */
export const COMMAND_LINE_SWEEP = "command-line";

/**
 * Expands a merged config into runs: experiments × (their sweep points, or the experiment alone
 * when no sweep block names it) × the command-line sweeps × seeds; each run's params (defaults ⊕
 * experiment ⊕ overrides ⊕ sweep values ⊕ seed) are validated by `runSchema`. Overrides and
 * command-line sweeps are named in the run names (`lenet-lr=0.01`).
 * @param overrides command-line overrides matched to this config (`resolveOverrides`).
 * @throws {ConfigError} pointing at the file and line, or the override, of the offending value.
 */
export function expandRuns<R>(
  chain: ConfigChain,
  runSchema: z.ZodType<R>,
  overrides: readonly ConfigOverride[] = [],
  unnamedKeys: readonly string[] = [],
): ExpandedRun<R>[] {
  const experiments = Object.keys(chain.merged.experiments ?? {});
  if (experiments.length === 0) {
    const at = locateInChain(chain.sources, ["experiments"], { key: true });
    const current = chain.merged.experiments ? "current value is {}" : "it is missing";
    throw configError(at, `'experiments' must name at least one experiment: ${current}`);
  }
  const runs = candidates(chain, experiments, runSchema, overrides, unnamedKeys);
  checkUniqueNames(runs, chain);
  const interner = new ParamsInterner();
  return runs.map((run) => {
    const validated = validateRun(run, chain, runSchema);
    validated.params = interner.share(validated.params);
    return validated;
  });
}
