/**
 * Analysed report data for fixture runs, for tests of single sections and charts.
 * @module
 */
import { join } from "node:path";
import { loadRunResults } from "../../tasks/report/load_run_results.ts";
import { prepareReportData, type ReportData } from "../../tasks/report/report_data.ts";
import { parseReportParams } from "../../tasks/report/report_params.ts";
import { fixtureParams, type FixtureRun, writeFixtureRuns } from "./_fixture_runs.ts";

/** Writes the fixture runs to a temp dir, loads them back and deletes the dir. */
export async function fixtureReportData(
  runs: FixtureRun[],
  options: Record<string, unknown> = {},
): Promise<ReportData> {
  const root = await Deno.makeTempDir({ prefix: "report-data-" });
  try {
    const inputs = await writeFixtureRuns(join(root, "in"), runs);
    const params = parseReportParams(fixtureParams(runs, options));
    return prepareReportData(params, await loadRunResults(params.runs, inputs));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
