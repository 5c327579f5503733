// node:util parseArgs stands in for @std/cli's parseArgs, which cannot be installed here (no JSR).
import { parseArgs } from "node:util";
import { didYouMean } from "../config/_did_you_mean.ts";
import { isOverrideArgument, parseOverride } from "../config/command_line_override.ts";
import type { ParsedOverride } from "../config/command_line_override.ts";
import { ConfigError, formatValue } from "../config/config_error.ts";
import {
  EXECUTOR_OPTIONS,
  EXECUTOR_USAGE,
  type ExecutorOverrides,
  executorOverrides,
} from "./executor_args.ts";

const OPTION_NAMES = [
  "jobs",
  "cache-dir",
  "dry-run",
  "force",
  "only",
  "isolate",
  "yes",
  "help",
  ...Object.keys(EXECUTOR_OPTIONS),
];

/** Parsed command line of `tasks/cli.ts`. */
export interface CliArgs {
  command: "run" | "status";
  configs: string[];
  /** `key=value` words among the configs: command-line overrides, in order. */
  overrides: ParsedOverride[];
  /** Default: 1. */
  jobs: number;
  /** Default: `$CNNLAB_CACHE`, else `.cache`. */
  cacheDir?: string;
  dryRun: boolean;
  /** Glob over stage ids and run names; `*` when `--force` has no value; undefined when absent. */
  force?: string;
  /** Glob over run names. */
  only?: string;
  /** Run stages in child processes even with one job. */
  isolate: boolean;
  /** Start a long run without asking. */
  yes: boolean;
  /** Executor settings given on the command line (override the config's `executor:`). */
  executor: ExecutorOverrides;
  /** Return once the stages are submitted (executors that queue). */
  detach: boolean;
  help: boolean;
}

/** The usage text printed by `--help` and after argument errors. */
export const USAGE = `usage: <run|status> <config.yaml>... [key=value...] [options]
  run                 bring every stage of the config(s) up to date
  status              list every stage as fresh / will run, and why
  key=value           override a run parameter (train.lr=0.01), for one experiment
                      (lenet.train.lr=0.01), or sweep it (train.lr=0.1,0.01)
  --jobs, -j N        run up to N independent stages at once, each in its own process (default 1)
  --cache-dir DIR     cache folder (default $CNNLAB_CACHE, else .cache)
  --dry-run           with run: only say what would run and why
  --force [GLOB]      recompute stages whose id or run name matches GLOB (default: all)
  --only RUN-GLOB     only the stages needed by the runs whose name matches (a,b,c: any of them)
  --isolate           run each stage in a child process even with one job
  --yes, -y           do not ask before a run estimated above $CNNLAB_CONFIRM_MINUTES (60)
${EXECUTOR_USAGE}`;

/** `--force` takes an optional value: the next word is its value unless it is an option or a config file. */
function normalizeForce(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== "--force") {
      out.push(args[i]);
      continue;
    }
    const next = args[i + 1];
    if (
      next !== undefined && !next.startsWith("-") && !/\.ya?ml$/.test(next) &&
      !isOverrideArgument(next)
    ) {
      out.push(`--force=${next}`);
      i++;
    } else {
      out.push("--force=*");
    }
  }
  return out;
}

/**
 * Parses the command line.
 * @throws {ConfigError} for unknown options, a missing command or config, or a bad `--jobs`.
 */
export function parseCliArgs(args: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: normalizeForce(args),
      allowPositionals: true,
      strict: true,
      options: {
        jobs: { type: "string", short: "j" },
        "cache-dir": { type: "string" },
        "dry-run": { type: "boolean" },
        force: { type: "string" },
        only: { type: "string" },
        isolate: { type: "boolean" },
        yes: { type: "boolean", short: "y" },
        help: { type: "boolean", short: "h" },
        ...EXECUTOR_OPTIONS,
      },
    });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = message.match(/^Unknown option '(-{1,2}[^']+)'/)?.[1];
    const reason = unknown
      ? `'${unknown}' is not a known option: ${
        didYouMean(unknown.replace(/^-+/, ""), OPTION_NAMES)
      }`
      : message.split(". ")[0].replace(/\.$/, "");
    throw new ConfigError(`Cannot parse the command line as ${reason}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const help = values.help ?? false;
  const [command, ...words] = positionals;
  const configs = words.filter((w) => !isOverrideArgument(w));
  const overrides = words.filter(isOverrideArgument).map(parseOverride);
  if (help) {
    return {
      command: "run",
      configs,
      overrides,
      jobs: 1,
      dryRun: false,
      isolate: false,
      yes: false,
      executor: {},
      detach: false,
      help,
    };
  }
  if (command !== "run" && command !== "status") {
    throw new ConfigError(
      `Cannot parse the command line as the command must be 'run' or 'status': current value is ${
        formatValue(command)
      }\n${USAGE}`,
    );
  }
  if (configs.length === 0) {
    throw new ConfigError(
      `Cannot ${command} as no config file was given: pass one, e.g. configs/mnist-all.yaml\n${USAGE}`,
    );
  }
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new ConfigError(
      `Cannot ${command} as --jobs must be a positive integer: current value is ${
        formatValue(values.jobs)
      }`,
    );
  }
  if (values["cache-dir"] !== undefined && values["cache-dir"].trim() === "") {
    throw new ConfigError(
      `Cannot ${command} as --cache-dir must name a folder: current value is ${
        formatValue(values["cache-dir"])
      }`,
    );
  }
  return {
    command,
    configs,
    overrides,
    jobs,
    cacheDir: values["cache-dir"],
    dryRun: values["dry-run"] ?? false,
    force: values.force,
    only: values.only,
    isolate: values.isolate ?? false,
    yes: values.yes ?? false,
    executor: executorOverrides(values),
    detach: values.detach ?? false,
    help,
  };
}
