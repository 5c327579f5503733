/**
 * Filters of `deno task runs`: by config, by model, by a metric condition such as `top1>=0.9`.
 * @module
 */
import { isAbsolute, relative, resolve } from "node:path";
import type { LoadResult } from "./load_past_run.ts";
import type { PastRun } from "./past_runs.ts";

/** The metrics a condition may test. */
export const FILTER_METRICS = ["top1", "top5", "loss", "epochs", "seconds"] as const;

/** One metric condition: `top1>=0.9`, `loss<0.5`, `top1>85%`. */
export interface MetricCondition {
  metric: (typeof FILTER_METRICS)[number];
  op: ">" | ">=" | "<" | "<=" | "=";
  value: number;
}

/**
 * Parses `<metric><op><number>[%]`.
 * @throws Error `Cannot read --metric '…' as …` naming the allowed metrics and operators.
 */
export function parseMetricCondition(text: string): MetricCondition {
  const match = text.replaceAll(" ", "").match(/^([a-z0-9]+)(>=|<=|>|<|=)([-+\d.eE]+)(%?)$/);
  const metric = match?.[1] as MetricCondition["metric"] | undefined;
  if (!match || !FILTER_METRICS.includes(metric!) || !Number.isFinite(Number(match[3]))) {
    throw new Error(
      `Cannot read --metric '${text}' as it must be <metric><op><number> with metric one of ${
        FILTER_METRICS.join(", ")
      } and op one of >, >=, <, <=, =: e.g. top1>=0.9 or top1>90%`,
    );
  }
  const value = Number(match[3]) / (match[4] === "%" ? 100 : 1);
  return { metric: metric!, op: match[2] as MetricCondition["op"], value };
}

/** The value a condition tests, from a loaded run; undefined when it has none. */
export function metricValue(loaded: LoadResult, metric: MetricCondition["metric"]) {
  if (!loaded.ok) return undefined;
  const { metrics, trainInfo } = loaded.run;
  const values = {
    top1: metrics.top1,
    top5: metrics.top5,
    loss: metrics.loss,
    epochs: trainInfo.epochs,
    seconds: trainInfo.seconds,
  };
  return values[metric] ?? undefined;
}

/** True when the run's value meets the condition (a run without the value never does). */
export function meetsCondition(loaded: LoadResult, condition: MetricCondition): boolean {
  const value = metricValue(loaded, condition.metric);
  if (value === undefined) return false;
  switch (condition.op) {
    case ">":
      return value > condition.value;
    case ">=":
      return value >= condition.value;
    case "<":
      return value < condition.value;
    case "<=":
      return value <= condition.value;
    case "=":
      return value === condition.value;
  }
}

/** True when `given` (a config path or name) is the run's config. */
export function matchesConfig(past: PastRun, given: string): boolean {
  if (past.config.name === given) return true;
  const shown = (path: string) => {
    const inside = relative(Deno.cwd(), resolve(path));
    return inside.startsWith("..") || isAbsolute(inside) ? resolve(path) : inside;
  };
  return shown(past.config.path) === shown(given);
}

/** The run's model name (`params.model.name`), when it has one. */
export function modelName(past: PastRun): string | undefined {
  const model = (past.run.params as { model?: { name?: unknown } } | null)?.model;
  return typeof model?.name === "string" ? model.name : undefined;
}
