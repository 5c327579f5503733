/**
 * The main results table: one row per run.
 * @module
 */
import { formatMetric } from "../format_metric.ts";
import type { RunResult } from "../load_run_results.ts";
import { rankRuns, rankValue } from "../rank_runs.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";
import { plannedEpochs } from "../run_flags.ts";
import { selectionSentences } from "../selection_text.ts";

/** Column headers of the results table (tests parse the table by these). */
export const RESULTS_HEADERS = [
  "Run",
  "Model",
  "Params",
  "Epochs",
  "Val top-1",
  "Test top-1",
  "Top-5",
  "Loss",
  "Backend",
  "Notes",
] as const;

/**
 * Sentences naming the selected configuration and whether it significantly beats the runner-up,
 * then the table. The selected run's name is bold only when it does; flagged runs carry their
 * flags in "Notes" (⚠ for diverged or stuck). Timings are run facts: run-info.md has them.
 */
export function resultsSection(data: ReportData): Block[] {
  const { options, config } = data.params;
  const ordered = options.sort === "rank" ? rankRuns(data.results, options.rank_by) : data.results;
  const count = (kinds: string[]) =>
    data.results.filter((r) => data.flags.get(r)!.some((flag) => kinds.includes(flag.kind))).length;
  const flagged = count(["diverged", "stuck"]);
  const reduced = count(["reduced"]);
  const intro = [
    `${data.results.length} run${data.results.length === 1 ? "" : "s"} of \`${config.name}\`.`,
    ...selectionSentences(data),
  ];
  if (flagged > 0) intro.push(`⚠ ${flagged} diverged or stuck (see Notes).`);
  if (reduced > 0) {
    intro.push(
      reduced === data.results.length
        ? "All runs are reduced (see Notes)."
        : `${reduced} reduced (see Notes).`,
    );
  }
  const notRun = data.params.not_run ?? [];
  if (notRun.length > 0) {
    intro.push(
      `${notRun.length} run${notRun.length === 1 ? " was" : "s were"} not run (listed below).`,
    );
  }
  return [
    { kind: "heading", level: 2, text: "Results" },
    { kind: "paragraph", text: intro.join(" ") },
    {
      kind: "table",
      headers: [...RESULTS_HEADERS],
      align: ["left", "left", "right", "right", "right", "right", "right", "right", "left", "left"],
      rows: ordered.map((r) => resultRow(data, r)),
      notes: [
        "Val top-1: validation accuracy after the last epoch, the weights the test set measured. " +
        "Test metrics come from the evaluate stage on the held-out test set.",
      ],
    },
    ...(notRun.length === 0 ? [] : [{
      kind: "table" as const,
      headers: ["Not run", "Experiment", "Why"],
      align: ["left" as const, "left" as const, "left" as const],
      rows: notRun.map((n) => [n.name, n.experiment, n.reason]),
      notes: ["The config's `skip:` reasons: these runs have no results in this report."],
    }]),
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
  const winner = r === data.best && data.selection.verdict.kind === "significant";
  return [
    winner ? `**${r.run.name}**` : r.run.name,
    modelName(r),
    formatMetric("integer", r.train.params),
    epochs,
    formatMetric("accuracy", rankValue(r, "val_top1"), f),
    formatMetric("accuracy", r.metrics.top1, f),
    formatMetric("accuracy", r.metrics.top5, f),
    formatMetric("loss", r.metrics.loss),
    r.train.backend,
    notes.join("; "),
  ];
}

/** The run's `model.name` param, or "—". */
export function modelName(r: RunResult): string {
  const model = r.run.params.model as Record<string, unknown> | undefined;
  return typeof model?.name === "string" ? model.name : "—";
}
