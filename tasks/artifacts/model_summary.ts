/**
 * `summary.json` of the train stage: the torchinfo-style model summary.
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./_json_file.ts";
import { provenanceSchema } from "./provenance.ts";

/** One layer row. */
export const summaryRowSchema = z.object({
  name: z.string(),
  type: z.string(),
  outputShape: z.array(z.number().nullable()).or(z.string()).or(z.array(z.unknown())),
  params: z.number(),
  multAdds: z.number().nullable().optional(),
});

/** `summary.json`. */
export const modelSummarySchema = z.object({
  rows: z.array(summaryRowSchema),
  totalParams: z.number(),
  trainableParams: z.number(),
  multAdds: z.number().nullable().optional(),
  batchSize: z.number().optional(),
  paramsMB: z.number().optional(),
  forwardBackwardMB: z.number().optional(),
  totalMB: z.number().optional(),
  provenance: provenanceSchema.optional(),
});

/** A run's `summary.json`, as read back. */
export type StoredModelSummary = z.output<typeof modelSummarySchema>;

/** The file name in the train stage's output. */
export const MODEL_SUMMARY_FILE = "summary.json";

/** Writes `summary.json` into `dir`, atomically. */
export function writeModelSummary(
  dir: string,
  summary: z.input<typeof modelSummarySchema>,
): Promise<void> {
  return writeJsonFile(join(dir, MODEL_SUMMARY_FILE), modelSummarySchema, summary);
}

/** Reads `summary.json` from the train stage's output `dir`; null when the file is absent. */
export async function readModelSummary(
  dir: string,
  what: string,
): Promise<StoredModelSummary | null> {
  try {
    await Deno.stat(join(dir, MODEL_SUMMARY_FILE));
  } catch {
    return null;
  }
  return readJsonFile(join(dir, MODEL_SUMMARY_FILE), modelSummarySchema, what);
}
