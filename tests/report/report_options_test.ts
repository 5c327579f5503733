import assert from "node:assert/strict";
import { reportOptionsSchema } from "../../tasks/report/report_options.ts";

Deno.test("reportOptionsSchema fills every default from an empty report: section", () => {
  assert.deepEqual(reportOptionsSchema.parse({}), {
    rank_by: "val_top1",
    sort: "config",
    accuracy: "percent",
    decimals: 2,
    stuck_factor: 1.5,
    epoch_table_columns: 8,
    ablation_metrics: "test",
    epoch_table_rows: 25,
    max_classes: 30,
    summary_rows: 60,
    max_lines: 8,
    language: "en",
    images: { mistakes: 8, per_class: 4, max_models: 12 },
    references: {},
    confusion_normalize: true,
    chart_width: 480,
    chart_height: 280,
    png_scale: 2,
    sections: {
      results: true,
      seeds: true,
      flags: true,
      setup: true,
      ablations: true,
      epochs: true,
      per_class: true,
      images: true,
      stage_graph: true,
      summaries: true,
      provenance: true,
    },
    charts: {
      curves: true,
      val_accuracy: true,
      loss: true,
      test_accuracy: true,
      confusion: true,
      ablations: true,
      lr_schedule: true,
    },
    formats: { svg: true, png: true, html: true },
  });
});

Deno.test("reportOptionsSchema keeps nested defaults when only one nested key is set", () => {
  const options = reportOptionsSchema.parse({ charts: { loss: false }, title: "Lab 2" });
  assert.equal(options.title, "Lab 2");
  assert.equal(options.charts.loss, false);
  assert.equal(options.charts.confusion, true);
  assert.equal(options.formats.png, true);
});

Deno.test("reportOptionsSchema rejects unknown keys and out-of-range values", () => {
  const result = reportOptionsSchema.safeParse({
    charts: { lossy: true },
    png_scale: 0,
    rank_by: "top1",
  });
  assert.equal(result.success, false);
  assert.deepEqual(
    result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    [
      'rank_by: Invalid option: expected one of "val_top1"|"val_loss"|"test_top1"|"test_top5"|"test_loss"',
      "png_scale: Too small: expected number to be >=0.25",
      'charts: Unrecognized key: "lossy"',
    ],
  );
});

Deno.test("reportOptionsSchema takes notes as a file or a file and a place, and a language tag", () => {
  assert.equal(reportOptionsSchema.parse({ notes: "notes.md" }).notes, "notes.md");
  assert.deepEqual(reportOptionsSchema.parse({ notes: { file: "n.md" } }).notes, {
    file: "n.md",
    after: "end",
  });
  assert.equal(reportOptionsSchema.parse({ language: "zh-CN" }).language, "zh-CN");
  const bad = reportOptionsSchema.safeParse({
    notes: { file: "n.md", after: "middle" },
    language: "Chinese!",
  });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues.map((i) => i.path.join(".")), ["notes", "language"]);
});
