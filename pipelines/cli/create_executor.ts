import type { CacheLayout } from "../cache/cache_layout.ts";
import { ConfigError } from "../config/config_error.ts";
import type { ExecutorSettings } from "../config/executor_schema.ts";
import type { StageExecutor } from "../run/stage_executor.ts";
import { slurmExecutor } from "../run/slurm/slurm_executor.ts";

/** What {@linkcode createExecutor} needs besides the settings. */
export interface CreateExecutorOptions {
  layout: CacheLayout;
  /** `--detach` was given. */
  detach: boolean;
  /** The project's light stage kinds (they ask a cluster for little). */
  lightKinds?: readonly string[];
}

/**
 * The executor the settings ask for: undefined for `local` (the scheduler's default: this
 * process, or child processes with `--jobs N`), a Slurm executor for `slurm`.
 * @throws {ConfigError} for `--detach` with the local executor.
 */
export async function createExecutor(
  settings: ExecutorSettings,
  options: CreateExecutorOptions,
): Promise<StageExecutor | undefined> {
  if (settings.type === "local") {
    if (options.detach) {
      throw new ConfigError(
        "Cannot run with --detach as the local executor's stages end with the pipeline: submit them to a cluster with --executor slurm",
      );
    }
    return undefined;
  }
  return await slurmExecutor({
    layout: options.layout,
    settings,
    lightKinds: new Set(options.lightKinds ?? []),
  });
}
