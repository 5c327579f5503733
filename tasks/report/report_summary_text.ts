/**
 * What `deno task pipeline` prints at its end for a report: where it went and a short results
 * table (run, test top-1, top-5, flags), read back from the published folder.
 * @module
 */
import { join, relative } from "node:path";
import { z } from "zod";
import { formatMetric } from "./format_metric.ts";
import { maxOf } from "./extent.ts";

/** The part of metrics/runs.json this reads. */
const runsJsonSchema = z.looseObject({
  selection: z.looseObject({
    group: z.string().nullable(),
    verdict: z.string(),
    runner_up: z.string().nullable(),
    p: z.number().nullable(),
  }).optional(),
  runs: z.array(z.looseObject({
    run: z.string(),
    test_top1: z.number().nullable(),
    test_top5: z.number().nullable(),
    flags: z.array(z.string()),
  })),
});

/** Rows shown before "… and N more". */
const MAX_ROWS = 30;

/**
 * Reads `metrics/runs.json` of a published report folder and formats it.
 * @param reportDir e.g. "reports/smoke" (shown relative to the cwd)
 * @returns lines of text, without a trailing newline
 * @throws Error naming the file when it is missing or malformed
 */
export async function reportSummaryText(reportDir: string): Promise<string> {
  const path = join(reportDir, "metrics/runs.json");
  let parsed;
  try {
    parsed = runsJsonSchema.parse(JSON.parse(await Deno.readTextFile(path)));
  } catch (error) {
    throw new Error(
      `Cannot summarize the report as ${path} cannot be read: ${(error as Error).message}`,
    );
  }
  const rows = parsed.runs.slice(0, MAX_ROWS).map((r) => [
    r.run,
    formatMetric("accuracy", r.test_top1),
    formatMetric("accuracy", r.test_top5),
    r.flags.join("; "),
  ]);
  const headers = ["run", "test top-1", "top-5", "flags"];
  const widths = headers.map((h, i) =>
    Math.max(h.length, maxOf(rows.map((r) => [...r[i]].length)))
  );
  const line = (cells: string[]) =>
    cells.map((c, i) =>
      i === 1 || i === 2 ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i])
    ).join("  ").trimEnd();
  const shown = relative(Deno.cwd(), join(reportDir, "report.md")) || "report.md";
  const out = [`Report: ${shown}`, line(headers), ...rows.map(line)];
  if (parsed.runs.length > MAX_ROWS) {
    out.push(`… and ${parsed.runs.length - MAX_ROWS} more runs (report.md has them all)`);
  }
  const s = parsed.selection;
  if (s?.group) {
    const verdict = s.verdict === "significant"
      ? `, significantly better than ${s.runner_up} (p = ${s.p!.toPrecision(2)})`
      : s.verdict === "not-significant"
      ? `, no significant difference from ${s.runner_up} (p = ${s.p!.toPrecision(2)})`
      : s.verdict === "untestable"
      ? " (single seed: no significance test)"
      : "";
    out.push(`Selected: ${s.group}${verdict}`);
  }
  return out.join("\n");
}
