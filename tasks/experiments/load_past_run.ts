/**
 * A past run's artifacts, read from the cache entries its history record names: test metrics,
 * train info and the per-epoch history. Nothing is recomputed.
 * @module
 */
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { verifyEntry } from "../../pipelines/cache/verify_entry.ts";
import { readHistory, type StoredEpoch } from "../artifacts/history.ts";
import { type Metrics, readMetrics } from "../artifacts/metrics.ts";
import { readTrainInfo, type TrainInfo } from "../artifacts/train_info.ts";
import type { PastRun } from "./past_runs.ts";

/** A past run with what its stages wrote. */
export interface LoadedRun extends PastRun {
  metrics: Metrics;
  trainInfo: TrainInfo;
  epochs: StoredEpoch[];
  /** The train stage's output folder in the cache (weights/, train.json, …). */
  trainDir: string;
  evaluateDir: string;
}

/** Why a past run's artifacts cannot be read (kebab-case, for callers that branch). */
export type MissingReason = "not-completed" | "not-in-cache";

/** The result of {@linkcode loadPastRun}. */
export type LoadResult =
  | { ok: true; run: LoadedRun }
  | { ok: false; reason: MissingReason; detail: string };

/**
 * Loads a past run's outputs from the cache after checking each entry against its manifest.
 * @returns a failure value when the run did not complete or its entries are gone or damaged.
 * @throws Error when an artifact file does not match its schema (named by the reader).
 */
export async function loadPastRun(cacheRoot: string, past: PastRun): Promise<LoadResult> {
  const what = `run '${past.run.name}' of invocation ${past.invocation.id}`;
  const stages = [past.train, past.evaluate];
  if (stages.some((s) => s?.fingerprint === undefined)) {
    const stage = stages.find((s) => s?.fingerprint === undefined);
    return {
      ok: false,
      reason: "not-completed",
      detail: `${what} did not complete (${stage?.ids[0] ?? "no stage"}: ${
        stage?.outcome ?? "missing"
      })`,
    };
  }
  const layout = cacheLayout(cacheRoot);
  const dirs: string[] = [];
  for (const stage of stages) {
    const check = await verifyEntry(layout, stage!.fingerprint!);
    if (!check.ok) {
      return {
        ok: false,
        reason: "not-in-cache",
        detail: `${what}: ${stage!.ids[0]} is no longer usable in ${cacheRoot} (${check.detail})`,
      };
    }
    dirs.push(join(check.dir, "out"));
  }
  const [trainDir, evaluateDir] = dirs;
  return {
    ok: true,
    run: {
      ...past,
      metrics: await readMetrics(evaluateDir, what),
      trainInfo: await readTrainInfo(trainDir, what),
      epochs: (await readHistory(trainDir, what)).epochs,
      trainDir,
      evaluateDir,
    },
  };
}
