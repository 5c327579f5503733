/**
 * The report stage's params (built by the planner, see ARCHITECTURE.md "Report stage"):
 * which config, which runs and where they come from.
 * @module
 */
import { z } from "zod";
import { reportOptionsSchema } from "./report_options.ts";

const jsonRecord = z.record(z.string(), z.unknown());

/** One run as the planner describes it to the report. */
export const reportRunSchema = z.object({
  /** Unique run name, also the suffix of its `train:<name>` / `evaluate:<name>` inputs. */
  name: z.string().min(1),
  /** The `experiments:` key the run came from. */
  experiment: z.string().min(1),
  /** The sweep block and the values of its point by dotted key path. */
  sweep: z.object({ name: z.string().min(1), values: jsonRecord }).optional(),
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
  }),
  options: reportOptionsSchema.prefault({}),
  runs: z.array(reportRunSchema).min(1),
  /** deno, tfjs, backend, machine, date?, and optionally `fingerprints`: input name → hash. */
  provenance: z.looseObject({
    deno: z.string(),
    tfjs: z.string(),
    backend: z.string(),
    machine: z.string(),
    date: z.string().optional(),
    fingerprints: z.record(z.string(), z.string()).optional(),
  }),
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
