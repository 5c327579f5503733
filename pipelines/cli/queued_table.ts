import type { CacheLayout } from "../cache/cache_layout.ts";
import { queuedStages } from "../run/slurm/queued_jobs.ts";
import { formatTable } from "./format_table.ts";

/**
 * For `status`: the stages (of those with `keys`) still queued or running as cluster jobs
 * (submitted with `--detach`, or by a pipeline still running), as a table; undefined when the
 * cache records none.
 */
export async function queuedTable(
  layout: CacheLayout,
  keys: { has(key: string): boolean },
): Promise<string | undefined> {
  const queued = await queuedStages(layout, { keys });
  if ("error" in queued) {
    return `Cluster jobs recorded in the cache: cannot ask the queue: ${queued.error}`;
  }
  if (queued.length === 0) return undefined;
  const rows = queued.map((q) => [q.id, q.job, q.state.toLowerCase(), q.detail, q.submitted]);
  const table = formatTable(["stage", "slurm job", "state", "reason or node", "submitted"], rows);
  return `${table}\n${queued.length} stage${
    queued.length === 1 ? "" : "s"
  } queued or running on the cluster: run the pipeline again to collect their results`;
}
