/**
 * run-info.json: the timings of every run as its cached train and evaluate outputs recorded
 * them (wall-clock seconds and images/s, which change with the machine and its load). The
 * report stage writes it beside report.md; run-info.md (tasks/report/run_info.ts) reads it.
 * Both are gitignored (`reports/*\/run-info.*`), so committed reports do not churn.
 * @module
 */
import { z } from "zod";
import type { ReportData } from "./report_data.ts";

/** File name in the report folder. */
export const RUN_INFO_JSON = "run-info.json";

const num = z.number().nullable();

/** The file's schema. */
export const runTimingsSchema = z.object({
  runs: z.array(z.object({
    run: z.string(),
    backend: z.string(),
    train_seconds: num,
    train_images_per_sec: num,
    eval_seconds: num,
    eval_images_per_sec: num,
    /** Per epoch: wall seconds (training and validation) and training images/s. */
    epochs: z.array(z.object({ epoch: z.number(), seconds: num, images_per_sec: num })),
  })),
});

/** The content of run-info.json. */
export type RunTimings = z.output<typeof runTimingsSchema>;

/** Collects the timings of every run of `data`, in config order. */
export function runTimings(data: ReportData): RunTimings {
  const finite = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    runs: data.results.map((r) => ({
      run: r.run.name,
      backend: r.train.backend,
      train_seconds: finite(r.train.seconds),
      train_images_per_sec: finite(r.train.images_per_sec),
      eval_seconds: finite((r.metrics as Record<string, unknown>).seconds),
      eval_images_per_sec: finite(r.metrics.images_per_sec),
      epochs: r.history.map((e) => ({
        epoch: e.epoch,
        seconds: finite(e.seconds),
        images_per_sec: finite(e.images_per_sec),
      })),
    })),
  };
}
