/**
 * The command-line options that choose and shape the executor: `--executor local|slurm` and
 * Slurm's own option names for the resources, each overriding the config's `executor:` key.
 * @module
 */
import { ConfigError, formatValue } from "../config/config_error.ts";
import { executorSchema, type ExecutorSettings } from "../config/executor_schema.ts";
import { canonicalJson } from "../hashing/canonical_json.ts";

/** The `parseArgs` options this module reads. */
export const EXECUTOR_OPTIONS = {
  executor: { type: "string" },
  partition: { type: "string" },
  time: { type: "string" },
  mem: { type: "string" },
  "cpus-per-task": { type: "string" },
  gres: { type: "string" },
  "sbatch-arg": { type: "string", multiple: true },
  detach: { type: "boolean" },
} as const;

/** Usage lines of these options. */
export const EXECUTOR_USAGE =
  `  --executor TYPE     local (default: this machine, see --jobs) or slurm (one sbatch job per stage)
  --partition P, --time T, --mem M, --cpus-per-task N, --gres G
                      Slurm resources of train/evaluate jobs (override the config's executor:)
  --sbatch-arg ARG    a further sbatch argument for every job (repeatable)
  --detach            with slurm: return once the jobs are submitted; status shows them`;

/** Command-line values for `executor:` keys (only those given). */
export type ExecutorOverrides = Partial<Omit<ExecutorSettings, "light" | "extra_args">> & {
  /** Appended to the config's `extra_args`. */
  extra_args?: string[];
};

type Values = {
  [K in keyof typeof EXECUTOR_OPTIONS]?: K extends "sbatch-arg" ? string[]
    : K extends "detach" ? boolean
    : string;
};

/**
 * Reads the executor options.
 * @throws {ConfigError} naming the option and the value when one is not valid.
 */
export function executorOverrides(values: Values): ExecutorOverrides {
  const overrides: Record<string, unknown> = {};
  const given: [string, keyof ExecutorSettings, unknown][] = [
    ["--executor", "type", values.executor],
    ["--partition", "partition", values.partition],
    ["--time", "time", values.time],
    ["--mem", "mem", values.mem],
    [
      "--cpus-per-task",
      "cpus_per_task",
      values["cpus-per-task"] === undefined ? undefined : Number(values["cpus-per-task"]),
    ],
    ["--gres", "gres", values.gres],
  ];
  for (const [option, key, value] of given) {
    if (value === undefined) continue;
    const parsed = executorSchema.shape[key].safeParse(value);
    if (!parsed.success) {
      const reason = key === "type"
        ? "must be 'local' or 'slurm'"
        : key === "cpus_per_task"
        ? "must be a positive integer"
        : parsed.error.issues[0].message;
      throw new ConfigError(
        `Cannot parse the command line as ${option} ${reason}: current value is ${
          formatValue(option === "--cpus-per-task" ? values["cpus-per-task"] : value)
        }`,
      );
    }
    overrides[key] = parsed.data;
  }
  if (values["sbatch-arg"]?.length) overrides.extra_args = values["sbatch-arg"];
  return overrides as ExecutorOverrides;
}

/**
 * The executor settings of a pipeline: the `executor:` sections of its configs (those that have
 * one must agree), then the command line's overrides.
 * @throws {ConfigError} when two configs ask for different executors.
 */
export function resolveExecutorSettings(
  sections: readonly { path: string; executor?: ExecutorSettings }[],
  overrides: ExecutorOverrides,
): ExecutorSettings {
  const given = sections.filter((s) => s.executor !== undefined);
  const first = given[0];
  const other = given.find((s) => canonicalJson(s.executor) !== canonicalJson(first.executor));
  if (other) {
    throw new ConfigError(
      `Cannot run ${first.path} and ${other.path} together as their executor: sections differ: give them the same one, or choose on the command line with --executor`,
    );
  }
  const base = first?.executor ?? executorSchema.parse({});
  return {
    ...base,
    ...overrides,
    extra_args: [...base.extra_args, ...(overrides.extra_args ?? [])],
  };
}
