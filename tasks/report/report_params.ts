/**
 * The report stage's params (built by the planner, see ARCHITECTURE.md "Report stage"):
 * which config, which runs and where they come from.
 * @module
 */
import { z } from "zod";
import { reportOptionsSchema } from "./report_options.ts";
import { stageGraphSchema } from "./stage_graph_param.ts";

const jsonRecord = z.record(z.string(), z.unknown());

/** One run as the planner describes it to the report. */
export const reportRunSchema = z.object({
  /** Unique run name, also the suffix of its `train:<name>` / `evaluate:<name>` inputs. */
  name: z.string().min(1),
  /** The `experiments:` key the run came from. */
  experiment: z.string().min(1),
  /**
   * The report input holding the run's data set (its test images): one input per data stage,
   * however many runs share it.
   */
  data: z.string().min(1),
  /** The sweep block and the values of its point by dotted key path. */
  sweep: z.object({ name: z.string().min(1), values: jsonRecord }).optional(),
  /** Values command-line overrides gave this run, by dotted key path. */
  overrides: jsonRecord.optional(),
  seed: z.number(),
  /** The run's full, merged params. */
  params: jsonRecord,
  /** Set when the run was cut short on purpose, e.g. "2 of 10 epochs, 10 % of training data". */
  reduced: z.string().min(1).optional(),
});

/** What the report stage receives as `ctx.params`. */
export const reportParamsSchema = z.object({
  config: z.object({
    name: z.string().min(1),
    path: z.string(),
    hash: z.string(),
    description: z.string().optional(),
    /** Command-line overrides, as typed (`train.lr=0.01`). */
    overrides: z.array(z.string()).optional(),
  }),
  options: reportOptionsSchema.prefault({}),
  runs: z.array(reportRunSchema).min(1),
  /** Runs of the config left out by their `skip:` reason, listed as not run. */
  not_run: z.array(z.object({
    name: z.string().min(1),
    experiment: z.string().min(1),
    reason: z.string().min(1),
  })).optional(),
  /**
   * deno, tfjs, backend, and optionally `fingerprints` (input name → hash). Other keys (a
   * machine, a date) are accepted and not shown: the report holds only what the cached results
   * and the config determine; run facts go to run-info.md.
   */
  provenance: z.looseObject({
    deno: z.string(),
    tfjs: z.string(),
    backend: z.string(),
    fingerprints: z.record(z.string(), z.string()).optional(),
  }),
  /** The text of `report.notes`, read by the planner (so it is part of the stage's key). */
  notes: z.object({ file: z.string().min(1), text: z.string() }).optional(),
  /** The stage graph to draw (tasks/report/report_plan_params.ts). */
  graph: stageGraphSchema.optional(),
});

/** One run as given to the report stage. */
export type ReportRun = z.output<typeof reportRunSchema>;

/** The report stage's params after defaults were applied. */
export type ReportParams = z.output<typeof reportParamsSchema>;

/**
 * Validates the report stage's params.
 * @returns the params with report option defaults applied
 * @throws Error naming every invalid field, e.g.
 *   `Cannot build the report as its params are invalid: runs.0.seed: expected number, received string`
 */
export function parseReportParams(params: unknown): ReportParams {
  const parsed = reportParamsSchema.safeParse(params);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    return `${where}: ${issue.message}`;
  });
  throw new Error(`Cannot build the report as its params are invalid: ${problems.join("; ")}`);
}

/** The report stage's params as the planner builds them (before defaults). */
export type ReportParamsInput = z.input<typeof reportParamsSchema>;
