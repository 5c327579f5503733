/**
 * What the pipeline does once it has run: for every report it published, the run facts beside
 * it (run-info.md: date, machine, git commit, this run's stage times, which churn and so stay out
 * of the cached report) and the text printed at the end (where the report went, test results).
 * @module
 */
import type { StageOutcome } from "../pipelines/types.ts";
import { reportSummaryText } from "./report/report_summary_text.ts";
import { gitState, writeRunInfo } from "./report/run_info.ts";

/** The project's `afterRun` hook. */
export async function afterRun(outcomes: StageOutcome[]): Promise<string | undefined> {
  // Only reports that are published now: not failed, skipped, interrupted or still queued.
  const published = new Set(["run", "restored", "fresh"]);
  const reports = outcomes.filter((o) => o.kind === "report" && published.has(o.outcome));
  if (reports.length === 0) return undefined;
  const git = await gitState();
  const stages = outcomes.map(({ id, outcome, seconds }) => ({ id, outcome, seconds }));
  const texts: string[] = [];
  for (const report of reports) {
    for (const dir of report.publish) {
      await writeRunInfo(dir, { git, stages });
      texts.push(await reportSummaryText(dir));
    }
  }
  return texts.join("\n\n");
}
