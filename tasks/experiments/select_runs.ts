/**
 * What `compare A B` accepts for A and B: a past invocation (its number in `runs`), a config
 * (path or name: its newest invocation), a run name (its newest run; `config/run` to be exact)
 * or a git commit (hex prefix of 7+: the newest invocation at it).
 * @module
 */
import { didYouMean } from "../../pipelines/config/_did_you_mean.ts";
import { UsageError } from "./_parse_tool_args.ts";
import type { PastRun } from "./past_runs.ts";
import { matchesConfig } from "./run_filter.ts";

/** One side of a comparison: the runs a selector names and how to call them. */
export interface Selection {
  selector: string;
  /** `#3 smoke (2026-11-22 08:15)`-like label, short. */
  label: string;
  runs: PastRun[];
}

/** The runs of one config within one invocation. */
function ofInvocation(runs: readonly PastRun[], id: number, config?: string): PastRun[] {
  return runs.filter((r) =>
    r.invocation.id === id && (config === undefined || r.config.name === config)
  );
}

/**
 * Resolves a selector against every past run (newest invocation first, not deduplicated).
 * @throws {UsageError} naming the selector when it matches nothing, with "did you mean".
 */
export function selectRuns(selector: string, runs: readonly PastRun[]): Selection {
  if (/^\d+$/.test(selector)) {
    const found = ofInvocation(runs, Number(selector));
    if (found.length > 0) {
      const configs = [...new Set(found.map((r) => r.config.name))].join("+");
      return { selector, label: `${configs} #${selector}`, runs: found };
    }
    if (selector.length < 7) {
      throw new UsageError(
        `Cannot compare as there is no invocation ${selector} in the history: \`deno task runs\` lists them (the # column)`,
      );
    }
  }
  const newestOf = (matching: PastRun[], label: (r: PastRun) => string): Selection => {
    const first = matching[0];
    return {
      selector,
      label: label(first),
      runs: ofInvocation(matching, first.invocation.id, first.config.name),
    };
  };
  if (/\.ya?ml$/.test(selector)) {
    const matching = runs.filter((r) => matchesConfig(r, selector));
    if (matching.length > 0) {
      return newestOf(matching, (r) => `${r.config.name} #${r.invocation.id}`);
    }
  }
  const slash = selector.indexOf("/");
  const byRun = runs.filter((r) =>
    r.run.name === selector ||
    (slash > 0 && r.config.name === selector.slice(0, slash) &&
      r.run.name === selector.slice(slash + 1))
  );
  if (byRun.length > 0) {
    const newest = byRun[0];
    return { selector, label: `${newest.run.name} #${newest.invocation.id}`, runs: [newest] };
  }
  const byConfig = runs.filter((r) => r.config.name === selector);
  if (byConfig.length > 0) return newestOf(byConfig, (r) => `${r.config.name} #${r.invocation.id}`);
  if (/^[0-9a-f]{7,64}$/i.test(selector)) {
    const byCommit = runs.filter((r) =>
      r.invocation.git?.commit.startsWith(selector.toLowerCase())
    );
    if (byCommit.length > 0) {
      return newestOf(byCommit, (r) => `${selector.slice(0, 7)} #${r.invocation.id}`);
    }
  }
  const names = [...new Set(runs.flatMap((r) => [r.run.name, r.config.name]))];
  throw new UsageError(
    `Cannot compare as '${selector}' is not a past invocation, config, run or git commit: ${
      didYouMean(selector, names, { listWhenFar: false }) ||
      "`deno task runs` lists what was run"
    }`,
  );
}
