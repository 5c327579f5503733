/**
 * The `report:` section of a config: what a user can tweak about the report without
 * retraining anything (the report stage is the only one that reads these options).
 * @module
 */
import { z } from "zod";

/**
 * Which metric selects the best configuration (and its run: confusion matrix, per-class table,
 * image samples). The validation metrics are those of the last epoch, the weights that were
 * tested; the test metrics are there for those who must, and the report says so.
 */
export const rankMetrics = ["val_top1", "val_loss", "test_top1", "test_top5", "test_loss"] as const;

/** A metric runs can be ranked by. */
export type RankMetric = (typeof rankMetrics)[number];

/** Numbers a run is expected to reach, e.g. from the lab report it reproduces. */
const referenceSchema = z.strictObject({
  top1: z.number().min(0).max(1).optional(),
  top5: z.number().min(0).max(1).optional(),
  loss: z.number().min(0).optional(),
  /** Where the numbers come from, e.g. "lab report 000, table 3". */
  source: z.string().optional(),
});

const sectionsSchema = z.strictObject({
  /** Results table: one row per run. */
  results: z.boolean().default(true),
  /** Mean ± std over runs that differ only by their seed. */
  seeds: z.boolean().default(true),
  /** Settings shared by all runs and the ones that differ, as dotted keys. */
  setup: z.boolean().default(true),
  /** Diverged, stuck, early-stopped and reduced runs. */
  flags: z.boolean().default(true),
  /** One table (and chart) per sweep group. */
  ablations: z.boolean().default(true),
  /** Validation accuracy of every run, epoch by epoch. */
  epochs: z.boolean().default(true),
  /** Per-class accuracy of the best run. */
  per_class: z.boolean().default(true),
  /** Test images: the most confident mistakes per model and correct samples per class. */
  images: z.boolean().default(true),
  /** A picture of the stage graph (data → split → train/evaluate → report). */
  stage_graph: z.boolean().default(true),
  /** Appendix: layer-by-layer model summaries. */
  summaries: z.boolean().default(true),
  /** Appendix: config hash, stage fingerprints, versions (run facts: run-info.md). */
  provenance: z.boolean().default(true),
});

const chartsSchema = z.strictObject({
  /** Per model: train vs validation loss, top-1 and top-5, side by side. */
  curves: z.boolean().default(true),
  /** Validation top-1 accuracy vs epoch, one line per configuration. */
  val_accuracy: z.boolean().default(true),
  /** Validation loss vs epoch, one line per configuration. */
  loss: z.boolean().default(true),
  /** Test top-1 bars, with ± std error bars for multi-seed groups. */
  test_accuracy: z.boolean().default(true),
  /** Confusion-matrix heatmap of the best run. */
  confusion: z.boolean().default(true),
  /** One chart per sweep group. */
  ablations: z.boolean().default(true),
  /** Learning rate vs epoch (drawn only when some run changes its rate). */
  lr_schedule: z.boolean().default(true),
});

const imagesSchema = z.strictObject({
  /** Most confident mistakes shown per model. */
  mistakes: z.int().min(1).max(50).default(8),
  /** Correct samples shown per class (of the selected run). */
  per_class: z.int().min(1).max(20).default(4),
  /** Most models in the mistakes grid (the best by the selection metric are kept). */
  max_models: z.int().min(1).max(200).default(12),
});

/** Where the notes go: after the named section, at the top (under the title) or the end. */
export const notesPlaces = [
  "top",
  "results",
  "setup",
  "ablations",
  "curves",
  "images",
  "per_class",
  "epochs",
  "end",
] as const;

const notesSchema = z.union([
  z.string().min(1),
  z.strictObject({ file: z.string().min(1), after: z.enum(notesPlaces).default("end") }),
]);

const formatsSchema = z.strictObject({
  /** Render every chart to SVG (vega, headless). */
  svg: z.boolean().default(true),
  /** Rasterize every chart to PNG (resvg with the bundled DejaVu Sans font). */
  png: z.boolean().default(true),
  /** Write the self-contained interactive report.html. */
  html: z.boolean().default(true),
});

/**
 * Report options. Every key has a default, so `report: {}` (or no `report:` at all) is valid;
 * unknown keys are errors so that typos do not silently do nothing.
 */
export const reportOptionsSchema = z.strictObject({
  /** Report title. Default: "Results: <config name>". */
  title: z.string().min(1).optional(),
  /** A paragraph shown under the title (e.g. what the experiment asks). */
  description: z.string().optional(),
  /**
   * What the whole config assumes where its source (a lab report) does not say, as free text;
   * listed first in the setup section. Per-run ones are the run param `assumptions`.
   */
  assumptions: z.array(z.string().trim().min(1)).optional(),
  /** Metric that selects the best configuration. Default: val_top1 (never the test set). */
  rank_by: z.enum(rankMetrics).default("val_top1"),
  /** Results table order: as the config lists the runs, or best first. Default: config. */
  sort: z.enum(["config", "rank"]).default("config"),
  /** Accuracies as "98.12 %" (percent) or "0.9812" (fraction, as in the lab reports). */
  accuracy: z.enum(["percent", "fraction"]).default("percent"),
  /** Decimals of a percentage (a fraction gets two more). Default: 2. */
  decimals: z.int().min(0).max(6).default(2),
  /** A run whose test top-1 is below chance × this factor is flagged "stuck". Default: 1.5. */
  stuck_factor: z.number().min(1).default(1.5),
  /** Most runs per per-epoch table before it is split into several tables. Default: 8. */
  epoch_table_columns: z.int().min(1).max(50).default(8),
  /**
   * Metrics of the ablation tables and charts: the test set, or validation at each run's best
   * epoch (as lab report 002 tabulates). Default: test.
   */
  ablation_metrics: z.enum(["test", "best_val"]).default("test"),
  /** Longest per-epoch table; longer histories show every k-th epoch plus the last and best. */
  epoch_table_rows: z.int().min(2).max(1000).default(25),
  /** Most classes in the confusion matrix and per-class table (the most confused are kept). */
  max_classes: z.int().min(2).max(1000).default(30),
  /** Longest model summary table; longer ones are folded into blocks by layer-name prefix. */
  summary_rows: z.int().min(5).max(10000).default(60),
  /** Show row-normalized rates (true) or raw counts (false) in the confusion matrix. */
  confusion_normalize: z.boolean().default(true),
  /** Seed groups per overview panel; more (with sweeps) split the panel by sweep. */
  max_lines: z.int().min(1).max(100).default(8),
  /**
   * A Markdown file beside the config (path relative to it) included verbatim in the report:
   * `notes: notes.md` (before the appendices) or `notes: { file: notes.md, after: results }`.
   */
  notes: notesSchema.optional(),
  /**
   * The report's language (BCP 47, e.g. "en", "zh-CN"): the HTML `lang`, and for zh, ja and ko
   * the CJK font is required for the charts even before a name needs it. Chart text with
   * characters the bundled font lacks always uses the CJK font (Debian's fonts-droid-fallback).
   */
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).default("en"),
  images: imagesSchema.prefault({}),
  /** Width and height of one chart's plot area in pixels. Default: 480 × 280. */
  chart_width: z.int().min(100).max(4000).default(480),
  chart_height: z.int().min(100).max(4000).default(280),
  /** PNG pixels per SVG pixel. Default: 2 (sharp on high-density screens). */
  png_scale: z.number().min(0.25).max(8).default(2),
  /**
   * Reference results by run name, seed-group label (run name without `seed=N`) or experiment
   * name; the report compares them with the measured ones. Default: none.
   */
  references: z.record(z.string(), referenceSchema).default({}),
  sections: sectionsSchema.prefault({}),
  charts: chartsSchema.prefault({}),
  formats: formatsSchema.prefault({}),
});

/** Report options after defaults were applied. */
export type ReportOptions = z.output<typeof reportOptionsSchema>;

/** Report options as written in a config (every key optional). */
export type ReportOptionsInput = z.input<typeof reportOptionsSchema>;
