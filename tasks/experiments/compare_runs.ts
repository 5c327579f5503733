/**
 * The analysis behind `compare A B`: runs of the two sides paired (by experiment and sweep
 * point; the seeds of a point together), the params that differ, and each metric's values,
 * difference and — with two or more seeds per side — Welch's t-test on top-1.
 * @module
 */
import { canonicalJson } from "../../pipelines/hashing/canonical_json.ts";
import { type MeanStd, meanStd } from "../report/mean_std.ts";
import { flattenParams } from "../report/sections/setup_section.ts";
import { type WelchResult, welchTTest } from "../report/stats/welch_t_test.ts";
import type { LoadedRun } from "./load_past_run.ts";

/** The metrics compared, in table order. */
export const COMPARED_METRICS = ["top1", "top5", "loss", "seconds", "epochs"] as const;
/** One compared metric. */
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** A param whose value differs between the two sides. */
export interface ParamChange {
  key: string;
  a: string;
  b: string;
}

/** One metric of one pair. */
export interface MetricComparison {
  metric: ComparedMetric;
  a: MeanStd;
  b: MeanStd;
  /** b − a of the means. */
  delta: number;
  /** Welch's t-test (top-1 only) when both sides have two or more runs. */
  test?: WelchResult;
}

/** Runs of side A and side B that are compared with each other. */
export interface ComparedPair {
  label: string;
  a: LoadedRun[];
  b: LoadedRun[];
  params: ParamChange[];
  metrics: MetricComparison[];
}

/** The whole comparison. */
export interface Comparison {
  pairs: ComparedPair[];
  /** Run names on one side that have no counterpart on the other. */
  onlyA: string[];
  onlyB: string[];
}

/** Significance level of the t-test. */
export const ALPHA = 0.05;

function metricValue(run: LoadedRun, metric: ComparedMetric): number | null {
  switch (metric) {
    case "top1":
    case "top5":
    case "loss":
      return run.metrics[metric];
    case "seconds":
      return run.trainInfo.seconds;
    case "epochs":
      return run.trainInfo.epochs;
  }
}

/** Experiment and sweep point, without the seed: runs with equal keys are seeds of one setting. */
function pointKey(run: LoadedRun): string {
  return canonicalJson([run.run.experiment, run.run.sweep?.values ?? {}] as never);
}

function groups(runs: readonly LoadedRun[]): Map<string, LoadedRun[]> {
  const map = new Map<string, LoadedRun[]>();
  for (const run of runs) map.set(pointKey(run), [...(map.get(pointKey(run)) ?? []), run]);
  return map;
}

/** The params (without `seed`) that differ between a run of A and a run of B. */
export function paramChanges(a: LoadedRun, b: LoadedRun): ParamChange[] {
  const fa = flattenParams(a.run.params);
  const fb = flattenParams(b.run.params);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].filter((k) => k !== "seed").sort();
  return keys.filter((k) => fa.get(k) !== fb.get(k)).map((key) => ({
    key,
    a: fa.get(key) ?? "—",
    b: fb.get(key) ?? "—",
  }));
}

function pair(label: string, a: LoadedRun[], b: LoadedRun[]): ComparedPair {
  return {
    label,
    a,
    b,
    params: paramChanges(a[0], b[0]),
    metrics: COMPARED_METRICS.map((metric) => {
      const va = a.map((r) => metricValue(r, metric));
      const vb = b.map((r) => metricValue(r, metric));
      const sa = meanStd(va);
      const sb = meanStd(vb);
      const test = metric === "top1" ? welchTTest(va, vb) ?? undefined : undefined;
      return { metric, a: sa, b: sb, delta: sb.mean - sa.mean, ...(test ? { test } : {}) };
    }),
  };
}

function pairLabel(a: LoadedRun[], b: LoadedRun[]): string {
  const name = (runs: LoadedRun[]) =>
    runs.length === 1
      ? runs[0].run.name
      : `${runs[0].run.name.replace(/-seed=\d+$/, "")} (${runs.length} seeds)`;
  const [na, nb] = [name(a), name(b)];
  return na === nb ? na : `${na} vs ${nb}`;
}

/**
 * Pairs the runs of two sides. One run each: those two. Otherwise runs with the same experiment
 * and sweep point are paired (their seeds grouped); an experiment with a single setting on one
 * side is paired with each setting of it on the other (a plain run vs a command-line sweep).
 */
export function compareRuns(a: readonly LoadedRun[], b: readonly LoadedRun[]): Comparison {
  if (a.length === 1 && b.length === 1) {
    return { pairs: [pair(pairLabel([...a], [...b]), [...a], [...b])], onlyA: [], onlyB: [] };
  }
  const ga = groups(a);
  const gb = groups(b);
  const pairs: ComparedPair[] = [];
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  for (const [key, runs] of ga) {
    const other = gb.get(key);
    if (!other) continue;
    pairs.push(pair(pairLabel(runs, other), runs, other));
    usedA.add(key);
    usedB.add(key);
  }
  const experimentOf = (runs: LoadedRun[]) => runs[0].run.experiment;
  const single = (g: Map<string, LoadedRun[]>, experiment: string) => {
    const all = [...g.values()].filter((r) => experimentOf(r) === experiment);
    return all.length === 1 ? all[0] : undefined;
  };
  for (const [key, runs] of ga) {
    if (usedA.has(key)) continue;
    const others = [...gb].filter(([k, r]) =>
      !usedB.has(k) && experimentOf(r) === experimentOf(runs)
    );
    const mine = single(ga, experimentOf(runs));
    const theirs = others.length === 1 ? others[0] : undefined;
    if (mine === undefined && theirs === undefined) continue;
    const targets = mine ? others : [theirs!];
    for (const [k, r] of targets) {
      pairs.push(pair(pairLabel(runs, r), runs, r));
      usedB.add(k);
    }
    if (targets.length > 0) usedA.add(key);
  }
  const names = (g: Map<string, LoadedRun[]>, used: Set<string>) =>
    [...g].filter(([k]) => !used.has(k)).flatMap(([, runs]) => runs.map((r) => r.run.name));
  return { pairs, onlyA: names(ga, usedA), onlyB: names(gb, usedB) };
}

/** "significant (p = 0.004, Welch's t-test)", "no significant difference (p = 0.42, …)", or why untested. */
export function significanceText(comparison: MetricComparison): string {
  if (!comparison.test) {
    return `no test: ${comparison.a.n} vs ${comparison.b.n} run(s) — give the config \`seeds: 3\` or more`;
  }
  const p = comparison.test.p;
  const shown = p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
  return p < ALPHA
    ? `significant (${shown}, Welch's t-test, α = ${ALPHA})`
    : `no significant difference (${shown}, Welch's t-test, α = ${ALPHA})`;
}
