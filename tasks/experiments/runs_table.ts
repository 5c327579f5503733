/**
 * The table `deno task runs` prints (DVC's `exp show`): one row per past run, newest first,
 * with the params that differ between the rows shown and the run's test metrics.
 * @module
 */
import { formatTable } from "../../pipelines/cli/format_table.ts";
import { formatMetric, MISSING } from "../report/format_metric.ts";
import { flattenParams } from "../report/sections/setup_section.ts";
import type { LoadResult } from "./load_past_run.ts";
import type { PastRun } from "./past_runs.ts";

/** Options of {@linkcode runsTable}. */
export interface RunsTableOptions {
  /** Time zone of the `when` column (an IANA name). Default: the machine's. */
  timeZone?: string;
  /** Whether a process id is alive, to tell a killed invocation from a running one. */
  isAlive?: (pid: number, host: string) => boolean;
}

/** `2026-11-29 10:02` in the given time zone. */
export function formatWhen(iso: string, timeZone?: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** What the status column says: the train status, or why there are no results. */
export function runStatus(
  past: PastRun,
  loaded: LoadResult,
  isAlive: RunsTableOptions["isAlive"],
): string {
  if (loaded.ok) return loaded.run.trainInfo.status;
  if (loaded.reason === "not-in-cache") return "not in cache";
  const { invocation } = past;
  if (invocation.outcome === "running") {
    return isAlive?.(invocation.pid, invocation.host) ? "running" : "killed";
  }
  const stage = [past.train, past.evaluate].find((s) => s?.fingerprint === undefined);
  return stage?.outcome ?? "failed";
}

/**
 * Keys (dotted) whose value differs between the runs; a key a run lacks counts as a value.
 * `seed` is included only when it differs.
 */
export function differingParams(runs: readonly PastRun[]): string[] {
  const flat = runs.map((r) => flattenParams(r.run.params));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  return keys.filter((k) => flat.some((f) => f.get(k) !== flat[0].get(k)));
}

/**
 * Formats the rows.
 * @param rows past runs with their loaded artifacts (or why they have none), in display order
 */
export function runsTable(
  rows: readonly { past: PastRun; loaded: LoadResult }[],
  options: RunsTableOptions = {},
): string {
  const keys = differingParams(rows.map((r) => r.past));
  const header = [
    "#",
    "when",
    "config",
    "run",
    "status",
    ...keys,
    "top-1",
    "top-5",
    "loss",
    "epochs",
    "train time",
  ];
  const body = rows.map(({ past, loaded }) => {
    const flat = flattenParams(past.run.params);
    const metrics = loaded.ok ? loaded.run.metrics : undefined;
    const train = loaded.ok ? loaded.run.trainInfo : undefined;
    return [
      String(past.invocation.id),
      formatWhen(past.invocation.started, options.timeZone),
      past.config.name,
      past.run.name,
      runStatus(past, loaded, options.isAlive),
      ...keys.map((k) => flat.get(k) ?? MISSING),
      formatMetric("accuracy", metrics?.top1),
      formatMetric("accuracy", metrics?.top5),
      formatMetric("loss", metrics?.loss),
      train ? String(train.epochs) : MISSING,
      formatMetric("seconds", train?.seconds),
    ];
  });
  return formatTable(header, body);
}
