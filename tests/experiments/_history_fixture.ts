/**
 * A cache folder with a history of made-up invocations whose train and evaluate outputs are
 * real cache entries (written by the engine's own `commitEntry`, so they verify): the fixture
 * `runs` and `compare` are pinned on.
 * @module
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { commitEntry, startEntry } from "../../pipelines/cache/cache_entry.ts";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { ENGINE_VERSION, fingerprintOf } from "../../pipelines/graph/fingerprint.ts";
import type { NewInvocation } from "../../pipelines/history/history_record.ts";
import { openHistory } from "../../pipelines/history/history_store.ts";
import type { Json } from "../../pipelines/types.ts";
import { type FixtureRun, writeFixtureRuns } from "../report/_fixture_runs.ts";

/** One run of a fixture invocation. */
export interface FixtureHistoryRun extends FixtureRun {
  /** The run's `train.lr`. */
  trainLr: number;
  /** Overrides shown in the record. */
  overrides?: Record<string, Json>;
  /** The evaluate stage failed: no entry, outcome "failed". */
  failed?: boolean;
}

/** One fixture invocation. */
export interface FixtureInvocation {
  started: string;
  config: string;
  overrides?: string[];
  outcome?: NewInvocation["outcome"];
  pid?: number;
  runs: FixtureHistoryRun[];
}

async function copyTree(from: string, to: string): Promise<void> {
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) {
      await Deno.mkdir(join(to, entry.name), { recursive: true });
      await copyTree(join(from, entry.name), join(to, entry.name));
    } else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** Run params as the real project has them (the parts the tools read). */
export function fixtureRunParams(run: FixtureHistoryRun): Json {
  return {
    data: { dataset: "fashion-mnist" },
    model: { name: run.model, ...(run.modelParams ?? {}) },
    train: { optimizer: "adam", lr: run.trainLr, batch_size: 64, epochs: run.epochs },
    backend: "auto",
    seed: run.seed,
  };
}

/**
 * Writes the invocations' records and entries into `cache`, ids 1, 2, … in order. Runs with
 * equal name, params and top-1 share their entries (a rerun that found them fresh).
 */
export async function writeHistoryFixture(
  cache: string,
  invocations: readonly FixtureInvocation[],
): Promise<void> {
  const layout = cacheLayout(cache);
  const staging = await Deno.makeTempDir({ prefix: "cnnlab-history-fixture-" });
  const store = openHistory(cache, { create: true })!;
  try {
    for (const [i, invocation] of invocations.entries()) {
      const inputs = await writeFixtureRuns(join(staging, String(i)), invocation.runs);
      const stages = [];
      for (const run of invocation.runs) {
        const params = fixtureRunParams(run);
        for (const kind of ["train", "evaluate"] as const) {
          const id = `${kind}:${run.name}`;
          const failed = kind === "evaluate" && run.failed;
          let fingerprint: string | undefined;
          if (!failed) {
            const object = {
              engine: ENGINE_VERSION,
              kind,
              params: { params, top1: run.top1 },
              inputs: {},
              code: {},
              packages: {},
              runtime: null,
            };
            fingerprint = fingerprintOf(object);
            try {
              await Deno.stat(layout.entry(fingerprint));
            } catch {
              const pending = await startEntry(layout, fingerprint);
              await copyTree(inputs[id], pending.outDir);
              await commitEntry(layout, pending, {
                fingerprint,
                id,
                object,
                started: new Date(invocation.started),
                seconds: 1,
              });
            }
          }
          stages.push({
            ids: [id],
            kind,
            runs: [run.name],
            ...(fingerprint ? { fingerprint } : {}),
            outcome: failed ? "failed" : "run",
            seconds: 1,
          });
        }
      }
      const outcome = invocation.outcome ??
        (invocation.runs.some((r) => r.failed) ? "failed" : "ok");
      store.append({
        started: invocation.started,
        ...(outcome === "running" ? {} : {
          finished: new Date(Date.parse(invocation.started) + 60_000).toISOString(),
          seconds: 60,
          exit_code: outcome === "ok" ? 0 : 1,
        }),
        outcome,
        args: ["run", `configs/${invocation.config}.yaml`, ...(invocation.overrides ?? [])],
        overrides: invocation.overrides ?? [],
        cwd: "/work/project",
        host: hostname(),
        pid: invocation.pid ?? 4242,
        git: { commit: `${i + 1}`.repeat(40), dirty: false },
        configs: [{
          name: invocation.config,
          path: `configs/${invocation.config}.yaml`,
          hash: "c".repeat(64),
          runs: invocation.runs.map((run) => ({
            name: run.name,
            experiment: run.experiment,
            seed: run.seed,
            ...(run.sweep ? { sweep: run.sweep } : {}),
            ...(run.overrides ? { overrides: run.overrides } : {}),
            params: fixtureRunParams(run),
          })),
          stages,
        }],
      });
    }
  } finally {
    store.close();
    await Deno.remove(staging, { recursive: true });
  }
}

/** The history most tests use: two attempts at a smoke config, a rerun, a failure, a kill. */
export const FIXTURE_INVOCATIONS: FixtureInvocation[] = [
  {
    started: "2026-11-20T09:00:00.000Z",
    config: "smoke",
    runs: [
      {
        name: "lenet",
        experiment: "lenet",
        seed: 0,
        model: "lenet",
        trainLr: 0.003,
        top1: 0.812,
        epochs: 2,
      },
      {
        name: "net",
        experiment: "net",
        seed: 0,
        model: "cnn",
        trainLr: 0.003,
        top1: 0.774,
        epochs: 2,
      },
    ],
  },
  {
    started: "2026-11-21T10:30:00.000Z",
    config: "smoke",
    overrides: ["train.lr=0.01"],
    runs: [
      {
        name: "lenet-lr=0.01",
        experiment: "lenet",
        seed: 0,
        model: "lenet",
        trainLr: 0.01,
        top1: 0.845,
        epochs: 2,
        overrides: { "train.lr": 0.01 },
      },
      {
        name: "net-lr=0.01",
        experiment: "net",
        seed: 0,
        model: "cnn",
        trainLr: 0.01,
        top1: 0.731,
        epochs: 2,
        overrides: { "train.lr": 0.01 },
      },
    ],
  },
  {
    // A rerun of the first invocation: every stage fresh, the same entries.
    started: "2026-11-22T08:15:00.000Z",
    config: "smoke",
    runs: [
      {
        name: "lenet",
        experiment: "lenet",
        seed: 0,
        model: "lenet",
        trainLr: 0.003,
        top1: 0.812,
        epochs: 2,
      },
      {
        name: "net",
        experiment: "net",
        seed: 0,
        model: "cnn",
        trainLr: 0.003,
        top1: 0.774,
        epochs: 2,
      },
    ],
  },
  {
    started: "2026-11-23T14:45:00.000Z",
    config: "mnist-lab",
    runs: [
      {
        name: "alexnet",
        experiment: "alexnet",
        seed: 0,
        model: "alexnet",
        trainLr: 0.01,
        top1: 0.5,
        epochs: 1,
        failed: true,
      },
    ],
  },
  {
    started: "2026-11-24T16:00:00.000Z",
    config: "mnist-lab",
    outcome: "running",
    pid: 999_999_999,
    runs: [
      {
        name: "vgg",
        experiment: "vgg",
        seed: 0,
        model: "vgg",
        trainLr: 0.01,
        top1: 0.5,
        epochs: 1,
        failed: true,
      },
    ],
  },
];
