import type { z } from "zod";
import { configError } from "./config_error.ts";
import { locateInChain, runParamsLocator } from "./config_locator.ts";
import type { RunOrigin } from "./config_locator.ts";
import type { ConfigChain } from "./load_config_chain.ts";
import { deepMerge, isPlainObject } from "./deep_merge.ts";
import { formatZodIssue } from "./format_zod_issue.ts";
import { expandSweeps } from "./sweep_points.ts";
import type { SweepPoint } from "./sweep_points.ts";
import type { ExpandedRun, Json } from "../types.ts";

/** Sets a dotted key path in a (cloned) params object, creating maps on the way. */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
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
  return String(value).replace(/[\s/]+/g, "_");
}

/** `conv_dropout=0.1-fc_dropout=0.5`: last key segment, or the whole path when that is ambiguous. */
function pointLabel(point: SweepPoint): string {
  const keys = Object.keys(point.values);
  const last = (k: string) => k.split(".").pop()!;
  return keys.map((k) => {
    const ambiguous = keys.filter((other) => last(other) === last(k)).length > 1;
    return `${ambiguous ? k : last(k)}=${formatNameValue(point.values[k])}`;
  }).join("-");
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
  params: Record<string, unknown>;
}

/** Lists every run with its merged, unvalidated params, in file order. */
function candidates(chain: ConfigChain, experiments: string[], runSchema: z.ZodType): Candidate[] {
  const { merged, sources } = chain;
  const sweeps = expandSweeps(merged.sweep, { sources, experiments, runSchema });
  const seeds = seedList(merged.seeds, chain);
  return experiments.flatMap((experiment) => {
    const base = deepMerge(merged.defaults ?? {}, merged.experiments![experiment]);
    const mine = sweeps.filter((s) => s.experiments.includes(experiment));
    const points = mine.length ? mine.flatMap((s) => s.points) : [undefined];
    return points.flatMap((point) =>
      seeds.map((seed) => {
        const params = structuredClone(base) as Record<string, unknown>;
        for (const [key, value] of Object.entries(point?.values ?? {})) setPath(params, key, value);
        if (seed !== undefined) params.seed = seed;
        let name = point ? `${experiment}-${pointLabel(point)}` : experiment;
        if (seeds.length > 1) name += `-seed=${seed}`;
        return { name, experiment, point, seed, params };
      })
    );
  });
}

/** @throws {ConfigError} at the second producer of a run name. */
function checkUniqueNames(runs: Candidate[], chain: ConfigChain): void {
  const producedBy = new Map<string, string>();
  for (const { name, point, experiment } of runs) {
    const source = point ? `sweep '${point.block}'` : `experiment '${experiment}'`;
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
  const parsed = runSchema.safeParse(run.params);
  if (!parsed.success) {
    const origin: RunOrigin = {
      experiment: run.experiment,
      sweep: run.point && { at: run.point.at, indices: run.point.indices },
      seeded: run.seed !== undefined,
    };
    throw formatZodIssue(parsed.error.issues[0], {
      schema: runSchema,
      input: run.params,
      locate: runParamsLocator(chain.sources, origin),
      context: `run '${run.name}'`,
    });
  }
  const params = parsed.data;
  const seedParam = isPlainObject(params) ? params.seed : undefined;
  return {
    name: run.name,
    experiment: run.experiment,
    ...(run.point ? { sweep: { name: run.point.block, values: run.point.values } } : {}),
    seed: typeof seedParam === "number" ? seedParam : run.seed ?? 0,
    params,
  };
}

/**
 * Expands a merged config into runs: experiments × (their sweep points, or the experiment alone
 * when no sweep block names it) × seeds; each run's params (defaults ⊕ experiment ⊕ sweep values
 * ⊕ seed) are validated by `runSchema`.
 * @throws {ConfigError} pointing at the file and line of the offending value.
 */
export function expandRuns<R>(chain: ConfigChain, runSchema: z.ZodType<R>): ExpandedRun<R>[] {
  const experiments = Object.keys(chain.merged.experiments ?? {});
  if (experiments.length === 0) {
    const at = locateInChain(chain.sources, ["experiments"], { key: true });
    const current = chain.merged.experiments ? "current value is {}" : "it is missing";
    throw configError(at, `'experiments' must name at least one experiment: ${current}`);
  }
  const runs = candidates(chain, experiments, runSchema);
  checkUniqueNames(runs, chain);
  return runs.map((run) => validateRun(run, chain, runSchema));
}
