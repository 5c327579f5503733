/**
 * Writes every run's per-epoch and final metrics as CSV (csv-stringify) and JSON, at full
 * precision, for analysis outside the report. Timings are left out (run-info.json has them):
 * these files are committed with example reports and must not change with the machine's load.
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { join } from "node:path";
import { HISTORY_COLUMNS } from "../artifacts/history.ts";
import { formatSweepValue } from "./ablation_groups.ts";
import type { RunResult } from "./load_run_results.ts";
import type { ReportData } from "./report_data.ts";
import { rankValue } from "./rank_runs.ts";
import { plannedEpochs } from "./run_flags.ts";
import { modelName } from "./sections/results_section.ts";

/** Files written by {@linkcode exportMetrics}, relative to the report directory. */
export const METRICS_FILES = [
  "metrics/epochs.csv",
  "metrics/final.csv",
  "metrics/per_class.csv",
  "metrics/runs.json",
] as const;

const EPOCH_COLUMNS = ["run", "experiment", "seed", ...HISTORY_COLUMNS] as const;

const FINAL_COLUMNS = [
  "run",
  "experiment",
  "seed",
  "sweep",
  "model",
  "status",
  "flags",
  "epochs",
  "planned_epochs",
  "params",
  "val_top1",
  "test_loss",
  "test_top1",
  "test_top5",
  "test_count",
  "backend",
  "reduced",
] as const;

/**
 * Writes metrics/epochs.csv (one row per run and epoch), metrics/final.csv (one row per run),
 * metrics/per_class.csv (one row per run and class) and metrics/runs.json (params, flags, history
 * and final metrics per run; confusion matrices stay in the evaluate outputs, as 24 runs of 200
 * classes would make it megabytes).
 * Missing or non-finite numbers are empty CSV cells and JSON nulls.
 * @param dir the report directory (metrics/ is created in it)
 */
export async function exportMetrics(data: ReportData, dir: string): Promise<void> {
  await Deno.mkdir(join(dir, "metrics"), { recursive: true });
  const epochs = data.results.flatMap((r) =>
    r.history.map((e) => ({
      run: r.run.name,
      experiment: r.run.experiment,
      seed: r.run.seed,
      ...e,
    }))
  );
  await writeCsv(join(dir, "metrics/epochs.csv"), EPOCH_COLUMNS, epochs);
  await writeCsv(
    join(dir, "metrics/final.csv"),
    FINAL_COLUMNS,
    data.results.map((r) => finalRow(data, r)),
  );
  const perClass = data.results.flatMap((r) =>
    r.metrics.confusion.map((row, i) => {
      const images = row.reduce((a, b) => a + b, 0);
      return {
        run: r.run.name,
        class: r.metrics.class_names[i],
        images,
        correct: row[i],
        accuracy: images > 0 ? row[i] / images : null,
      };
    })
  );
  await writeCsv(
    join(dir, "metrics/per_class.csv"),
    ["run", "class", "images", "correct", "accuracy"],
    perClass,
  );
  const runs = data.results.map((r) => ({
    ...finalRow(data, r),
    flags: data.flags.get(r)!.map((f) => f.text),
    sweep: r.run.sweep ?? null,
    params: r.run.params,
    history: r.history.map(({ seconds: _s, images_per_sec: _i, ...epoch }) => epoch),
  }));
  const { selection } = data;
  const verdict = selection.verdict;
  const json = {
    config: data.params.config,
    rank_by: data.params.options.rank_by,
    selection: {
      metric: selection.metric,
      group: selection.group?.label ?? null,
      run: selection.run?.run.name ?? null,
      verdict: verdict.kind,
      runner_up: verdict.kind === "alone" ? null : verdict.runnerUp.label,
      p: verdict.kind === "significant" || verdict.kind === "not-significant"
        ? verdict.test.p
        : null,
    },
    runs,
  };
  await Deno.writeTextFile(
    join(dir, "metrics/runs.json"),
    JSON.stringify(json, finiteOrNull, 2) + "\n",
  );
}

function finalRow(data: ReportData, r: RunResult) {
  return {
    run: r.run.name,
    experiment: r.run.experiment,
    seed: r.run.seed,
    sweep: r.run.sweep
      ? Object.entries(r.run.sweep.values).map(([k, v]) => `${k}=${formatSweepValue(v)}`).join(" ")
      : "",
    model: modelName(r),
    status: r.train.status,
    flags: data.flags.get(r)!.map((f) => f.kind).join(" "),
    epochs: r.train.epochs,
    planned_epochs: plannedEpochs(r),
    params: r.train.params,
    val_top1: rankValue(r, "val_top1"),
    test_loss: r.metrics.loss,
    test_top1: r.metrics.top1,
    test_top5: r.metrics.top5,
    test_count: r.metrics.count,
    backend: r.train.backend,
    reduced: r.run.reduced ?? "",
  };
}

async function writeCsv(
  path: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const cells = rows.map((row) => columns.map((c) => csvCell(row[c])));
  await Deno.writeTextFile(path, stringify(cells, { header: true, columns: [...columns] }));
}

function csvCell(value: unknown): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? value : "";
  return String(value);
}

function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}
