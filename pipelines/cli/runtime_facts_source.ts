import type { CacheLayout } from "../cache/cache_layout.ts";
import type { LoadedConfig } from "../config/load_config.ts";
import {
  factsRequestHash,
  keptRuntimeFacts,
  probeRuntimeFacts,
} from "../run/slurm/runtime_facts_probe.ts";
import type { Json, Project } from "../types.ts";
import { shareCores } from "../run/share_cores.ts";
import type { ExecutorOverrides } from "./executor_args.ts";
import { resolveExecutorSettings } from "./executor_args.ts";

/** What {@linkcode runtimeFactsSource} needs from the command line. */
export interface RuntimeFactsSourceOptions {
  layout: CacheLayout;
  overrides: ExecutorOverrides;
  /** Only look (status, --dry-run): never submit a job. */
  lookOnly: boolean;
  /** The project's entry point, which answers a probe on a node. */
  entry: URL;
  /** Where messages go. */
  err: (text: string) => void;
  /** `--jobs N`: locally, N stage processes share the cores (share_cores.ts). Default: 1. */
  jobs?: number;
}

/**
 * Where the runtime facts of a pipeline come from: this machine for the local executor; a node
 * of the cluster for Slurm (a probe job with the train/evaluate resources), so the stages' keys
 * name the backend they will run on. `status` and `--dry-run` use the last probe's answer when
 * it answered the same question, and this machine's facts otherwise (and say so). Locally,
 * `--jobs N` first gives each stage process its share of the cores, which the facts then see.
 */
export function runtimeFactsSource<R, F extends Json>(
  project: Project<R, F>,
  options: RuntimeFactsSourceOptions,
): (configs: readonly LoadedConfig<R>[]) => Promise<F[]> {
  const here = async (configs: readonly LoadedConfig<R>[]) => {
    const facts: F[] = [];
    for (const config of configs) facts.push(await project.runtimeFacts(config.runs));
    return facts;
  };
  return async (configs) => {
    const settings = resolveExecutorSettings(configs, options.overrides);
    if (settings.type !== "slurm") {
      const shared = shareCores(options.jobs ?? 1);
      if (shared) options.err(shared);
      return await here(configs);
    }
    const asked = configs.map((c) => ({ name: c.name, runs: c.runs }));
    if (options.lookOnly) {
      const kept = await keptRuntimeFacts(options.layout, factsRequestHash(settings, asked));
      if (kept) {
        options.err(
          `runtime facts as node ${kept.node} resolved them (slurm job ${kept.job}, ${kept.at})`,
        );
        return kept.facts as F[];
      }
      options.err(
        "runtime facts of this machine: a run with the Slurm executor resolves them on a node",
      );
      return await here(configs);
    }
    const kept = await probeRuntimeFacts({
      layout: options.layout,
      settings,
      entry: options.entry,
      configs: asked,
      log: options.err,
    });
    options.err(`runtime facts resolved on node ${kept.node} (slurm job ${kept.job})`);
    return kept.facts as F[];
  };
}
