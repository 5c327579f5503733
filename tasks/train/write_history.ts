/**
 * Per-epoch training history: the record type and its JSON / CSV files.
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { join } from "node:path";
import type { Json } from "./_json.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

/** One epoch's numbers, as written to history.json and history.csv. */
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
export const HISTORY_COLUMNS: readonly (keyof EpochRecord)[] = [
  "epoch",
  "train_loss",
  "train_acc",
  "val_loss",
  "val_top1",
  "val_top5",
  "lr",
  "seconds",
  "images_per_sec",
];

/**
 * Writes `history.json` ({ epochs: [...], provenance? }) and `history.csv` (one row per epoch,
 * header first) into `dir`, each atomically.
 *
 * @param provenance who made the history (see `provenance()`); omitted from the JSON when absent
 */
export async function writeHistory(
  dir: string,
  epochs: readonly EpochRecord[],
  provenance?: Json,
): Promise<void> {
  const doc = provenance === undefined ? { epochs } : { epochs, provenance };
  await writeFileAtomic(join(dir, "history.json"), JSON.stringify(doc, null, 2) + "\n");
  const rows = epochs.map((e) => HISTORY_COLUMNS.map((c) => e[c] ?? ""));
  const csv = stringify(rows, { header: true, columns: HISTORY_COLUMNS as string[] });
  await writeFileAtomic(join(dir, "history.csv"), csv);
}
