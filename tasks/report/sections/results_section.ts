/**
 * The main results table: one row per run.
 * @module
 */
import { formatMetric } from "../format_metric.ts";
import type { RunResult } from "../load_run_results.ts";
import { rankMetricLabels, rankRuns, rankValue } from "../rank_runs.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";
import { plannedEpochs } from "../run_flags.ts";

/** Column headers of the results table (tests parse the table by these). */
export const RESULTS_HEADERS = [
  "Run",
  "Model",
  "Params",
  "Epochs",
  "Test top-1",
  "Top-5",
  "Loss",
  "Train time",
  "Images/s",
  "Backend",
  "Notes",
] as const;

/**
 * A sentence naming the best run, then the table. The best run's name is bold; flagged runs
 * carry their flags in "Notes" (⚠ for diverged or stuck).
 */
export function resultsSection(data: ReportData): Block[] {
  const { options, config } = data.params;
  const f = data.format;
  const ordered = options.sort === "rank" ? rankRuns(data.results, options.rank_by) : data.results;
  const count = (kinds: string[]) =>
    data.results.filter((r) => data.flags.get(r)!.some((flag) => kinds.includes(flag.kind))).length;
  const flagged = count(["diverged", "stuck"]);
  const reduced = count(["reduced"]);
  const intro = [
    `${data.results.length} run${data.results.length === 1 ? "" : "s"} of \`${config.name}\`.`,
  ];
  if (data.best) {
    const m = data.best.metrics;
    const tests = `test top-1 ${formatMetric("accuracy", m.top1, f)}, ` +
      `top-5 ${formatMetric("accuracy", m.top5, f)}, loss ${formatMetric("loss", m.loss)}`;
    const by = options.rank_by === "val_top1"
      ? `${formatMetric("accuracy", rankValue(data.best, "val_top1"), f)}; ${tests}`
      : tests;
    intro.push(`Best by ${rankMetricLabels[options.rank_by]}: **${data.best.run.name}** (${by}).`);
  }
  if (flagged > 0) intro.push(`⚠ ${flagged} diverged or stuck (see Notes).`);
  if (reduced > 0) {
    intro.push(
      reduced === data.results.length
        ? "All runs are reduced (see Notes)."
        : `${reduced} reduced (see Notes).`,
    );
  }
  return [
    { kind: "heading", level: 2, text: "Results" },
    { kind: "paragraph", text: intro.join(" ") },
    {
      kind: "table",
      headers: [...RESULTS_HEADERS],
      align: [
        "left",
        "left",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "left",
        "left",
      ],
      rows: ordered.map((r) => resultRow(data, r)),
      notes: [
        "Test metrics come from the evaluate stage on the held-out test set. Train time covers " +
        "all epochs including their validation passes; images/s counts training passes only.",
      ],
    },
  ];
}

function resultRow(data: ReportData, r: RunResult): string[] {
  const f = data.format;
  const planned = plannedEpochs(r);
  const epochs = planned !== null && planned !== r.train.epochs
    ? `${r.train.epochs} of ${planned}`
    : String(r.train.epochs);
  const notes = data.flags.get(r)!.map((flag) =>
    flag.kind === "diverged" || flag.kind === "stuck" ? `⚠ ${flag.text}` : flag.text
  );
  return [
    r === data.best ? `**${r.run.name}**` : r.run.name,
    modelName(r),
    formatMetric("integer", r.train.params),
    epochs,
    formatMetric("accuracy", r.metrics.top1, f),
    formatMetric("accuracy", r.metrics.top5, f),
    formatMetric("loss", r.metrics.loss),
    formatMetric("seconds", r.train.seconds),
    formatMetric("rate", r.train.images_per_sec),
    r.train.backend,
    notes.join("; "),
  ];
}

/** The run's `model.name` param, or "—". */
export function modelName(r: RunResult): string {
  const model = r.run.params.model as Record<string, unknown> | undefined;
  return typeof model?.name === "string" ? model.name : "—";
}
