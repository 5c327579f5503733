/**
 * The report stage: turns the cached train and evaluate outputs of every run into report.md,
 * report.html, charts (vega-lite, SVG, PNG) and metrics exports. It trains nothing, so changing
 * only `report:` options reruns this stage alone.
 * @module
 */
import type { StageContext } from "../../pipelines/types.ts";
import { writeReport } from "../report/write_report.ts";

/**
 * Runs the report stage (params: ARCHITECTURE.md "Report stage").
 * @throws Error for invalid params or missing/malformed run outputs, naming the run and file
 */
export async function run(ctx: StageContext): Promise<void> {
  await writeReport(ctx.params, ctx.inputs, ctx.outDir, {
    log: ctx.log,
    progress: ctx.progress,
    signal: ctx.signal,
  });
}
