/**
 * The report stage: turns the cached train and evaluate outputs of every run into report.md,
 * report.html, charts (vega-lite, SVG, PNG) and metrics exports. It trains nothing, so changing
 * only `report:` options reruns this stage alone.
 * @module
 */
import type { StageContext } from "../../pipelines/types.ts";
import type { ReportParamsInput } from "../report/report_params.ts";
import { writeReport } from "../report/write_report.ts";

/**
 * Runs the report stage (params: ARCHITECTURE.md "Report stage"). The provenance appendix names
 * each run's train and evaluate entries by the fingerprints the engine hands over.
 * @throws Error for invalid params or missing/malformed run outputs, naming the run and file
 */
export async function run(ctx: StageContext<ReportParamsInput>): Promise<void> {
  const params = {
    ...ctx.params,
    provenance: { ...ctx.params.provenance, fingerprints: ctx.inputFingerprints },
  };
  await writeReport(params, ctx.inputs, ctx.outDir, {
    log: ctx.log,
    progress: ctx.progress,
    signal: ctx.signal,
  });
}
