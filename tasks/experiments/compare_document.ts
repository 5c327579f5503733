/**
 * The comparison as a document (the report's block model, so it renders to Markdown and HTML
 * like a report) and as plain-text tables for the terminal.
 * @module
 */
import { formatTable } from "../../pipelines/cli/format_table.ts";
import { formatMeanStd, formatMetric, type MetricKind } from "../report/format_metric.ts";
import type { Block, ReportDocument } from "../report/report_document.ts";
import { compareCharts } from "./compare_charts.ts";
import {
  ALPHA,
  type ComparedMetric,
  type ComparedPair,
  type Comparison,
  type MetricComparison,
  significanceText,
} from "./compare_runs.ts";
import { formatWhen } from "./runs_table.ts";
import type { Selection } from "./select_runs.ts";

const KINDS: Record<ComparedMetric, MetricKind> = {
  top1: "accuracy",
  top5: "accuracy",
  loss: "loss",
  seconds: "seconds",
  epochs: "count",
};

const TITLES: Record<ComparedMetric, string> = {
  top1: "test top-1",
  top5: "test top-5",
  loss: "test loss",
  seconds: "train time",
  epochs: "epochs",
};

/** `+3.30 pp`, `−0.0504`, `+1.2 s`. */
export function formatDelta(metric: ComparedMetric, delta: number): string {
  if (!Number.isFinite(delta)) return "—";
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  const size = Math.abs(delta);
  if (KINDS[metric] === "accuracy") return `${sign}${(size * 100).toFixed(2)} pp`;
  return `${sign}${formatMetric(KINDS[metric], size)}`;
}

/** True when B's value is the better one (higher accuracy, lower loss). */
function bIsBetter(m: MetricComparison): boolean {
  return m.metric === "loss" ? m.delta < 0 : m.delta > 0;
}

/** Rows of a pair's metric table: metric, A, B, B − A (winner bold only when significant). */
export function metricRows(pair: ComparedPair, options: { bold?: boolean } = {}): string[][] {
  return pair.metrics.map((m) => {
    const a = formatMeanStd(KINDS[m.metric], m.a);
    const b = formatMeanStd(KINDS[m.metric], m.b);
    const significant = m.test !== undefined && m.test.p < ALPHA;
    const mark = (text: string, win: boolean) =>
      options.bold && significant && win ? `**${text}**` : text;
    return [
      TITLES[m.metric],
      mark(a, !bIsBetter(m)),
      mark(b, bIsBetter(m)),
      formatDelta(m.metric, m.delta),
    ];
  });
}

function describeSide(name: string, selection: Selection, timeZone?: string): string {
  const runs = selection.runs;
  const invocation = runs[0].invocation;
  const git = invocation.git
    ? `, git ${invocation.git.commit.slice(0, 7)}${invocation.git.dirty ? " (dirty)" : ""}`
    : "";
  const overrides = invocation.overrides.length
    ? `, overrides ${invocation.overrides.map((o) => `\`${o}\``).join(" ")}`
    : "";
  return `**${name}** = \`${selection.selector}\`: invocation #${invocation.id} of ${
    runs[0].config.path
  } (${formatWhen(invocation.started, timeZone)}${git}${overrides}), ${runs.length} run${
    runs.length === 1 ? "" : "s"
  }`;
}

/** The comparison document: sides, then per pair the params and metrics that differ, then charts. */
export function compareDocument(
  comparison: Comparison,
  a: Selection,
  b: Selection,
  options: { timeZone?: string } = {},
): ReportDocument {
  const blocks: Block[] = [{
    kind: "list",
    items: [describeSide("A", a, options.timeZone), describeSide("B", b, options.timeZone)],
  }];
  for (const pair of comparison.pairs) {
    blocks.push({ kind: "heading", level: 2, text: pair.label });
    if (pair.params.length === 0) {
      blocks.push({ kind: "paragraph", text: "Same params." });
    } else {
      blocks.push({
        kind: "table",
        headers: ["param", "A", "B"],
        align: ["left", "left", "left"],
        rows: pair.params.map((p) => [`\`${p.key}\``, p.a, p.b]),
      });
    }
    blocks.push({
      kind: "table",
      headers: ["metric", "A", "B", "B − A"],
      align: ["left", "right", "right", "right"],
      rows: metricRows(pair, { bold: true }),
      notes: [`Test top-1: ${significanceText(pair.metrics[0])}.`],
    });
  }
  if (comparison.onlyA.length || comparison.onlyB.length) {
    blocks.push({
      kind: "paragraph",
      text: [
        comparison.onlyA.length ? `Only in A: ${comparison.onlyA.join(", ")}.` : "",
        comparison.onlyB.length ? `Only in B: ${comparison.onlyB.join(", ")}.` : "",
      ].filter(Boolean).join(" "),
    });
  }
  const charts = compareCharts(comparison, { a: `A: ${a.label}`, b: `B: ${b.label}` });
  if (charts.length > 0) blocks.push({ kind: "heading", level: 2, text: "Curves" }, ...charts);
  return { title: `Compare ${a.label} with ${b.label}`, blocks };
}

/** The comparison as plain-text tables for the terminal. */
export function compareText(comparison: Comparison, a: Selection, b: Selection): string {
  const parts = [`A = ${a.label}   B = ${b.label}`];
  for (const pair of comparison.pairs) {
    parts.push(`\n${pair.label}`);
    parts.push(
      pair.params.length === 0
        ? "same params"
        : formatTable(["param", "A", "B"], pair.params.map((p) => [p.key, p.a, p.b])),
    );
    parts.push(formatTable(["metric", "A", "B", "B − A"], metricRows(pair)));
    parts.push(`test top-1: ${significanceText(pair.metrics[0])}`);
  }
  if (comparison.onlyA.length) parts.push(`\nonly in A: ${comparison.onlyA.join(", ")}`);
  if (comparison.onlyB.length) parts.push(`only in B: ${comparison.onlyB.join(", ")}`);
  return parts.join("\n");
}
