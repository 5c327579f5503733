/**
 * `history.json` and `history.csv` of the train stage: one record per epoch.
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./_json_file.ts";
import { provenanceSchema } from "./provenance.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

// JSON has no NaN or Infinity: a diverged epoch's numbers are written as null.
const num = z.number().nullable();

/** One epoch's numbers. */
export const epochRecordSchema = z.object({
  /** 1-based epoch number. */
  epoch: z.int().min(0),
  train_loss: num,
  train_acc: num,
  /** Null when the split has no validation set. */
  val_loss: num.default(null),
  val_top1: num.default(null),
  val_top5: num.default(null),
  /** Learning rate used during this epoch. */
  lr: num.default(null),
  /** Wall time of the epoch, training and validation. */
  seconds: num.default(null),
  /** Training images per second (training pass only). */
  images_per_sec: num.default(null),
});

/** `history.json`. */
export const historySchema = z.object({
  epochs: z.array(epochRecordSchema),
  provenance: provenanceSchema.optional(),
});

/** One epoch's numbers, as read back. */
export type StoredEpoch = z.output<typeof epochRecordSchema>;

/** One epoch as the training loop records it (what the writer takes): every number present. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  train_loss: number;
  train_acc: number;
  /** Null when the split has no validation set. */
  val_loss: number | null;
  val_top1: number | null;
  val_top5: number | null;
  /** Learning rate used during this epoch. */
  lr: number;
  /** Wall time of the epoch, training and validation. */
  seconds: number;
  /** Training images per second (training pass only). */
  images_per_sec: number;
}

/** The column order of history.csv. */
export const HISTORY_COLUMNS = [
  "epoch",
  "train_loss",
  "train_acc",
  "val_loss",
  "val_top1",
  "val_top5",
  "lr",
  "seconds",
  "images_per_sec",
] as const satisfies readonly (keyof StoredEpoch & keyof EpochRecord)[];

/** File names in the train stage's output. */
export const HISTORY_FILES = { json: "history.json", csv: "history.csv" } as const;

/**
 * Writes `history.json` ({ epochs, provenance? }) and `history.csv` (one row per epoch, header
 * first) into `dir`, each atomically.
 */
export async function writeHistory(
  dir: string,
  epochs: readonly EpochRecord[],
  provenance?: z.input<typeof provenanceSchema>,
): Promise<void> {
  const doc = provenance === undefined
    ? { epochs: [...epochs] }
    : { epochs: [...epochs], provenance };
  await writeJsonFile(join(dir, HISTORY_FILES.json), historySchema, doc);
  const rows = epochs.map((e) => HISTORY_COLUMNS.map((c) => e[c] ?? ""));
  const csv = stringify(rows, { header: true, columns: [...HISTORY_COLUMNS] });
  await writeFileAtomic(join(dir, HISTORY_FILES.csv), csv);
}

/** Reads `history.json` from the train stage's output `dir`. */
export function readHistory(dir: string, what: string): Promise<z.output<typeof historySchema>> {
  return readJsonFile(join(dir, HISTORY_FILES.json), historySchema, what);
}
