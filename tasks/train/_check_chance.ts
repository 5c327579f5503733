/**
 * The `stuck-at-chance` health check.
 * @module
 */
import { pct } from "./_format_epoch.ts";
import type { EpochRecord } from "../artifacts/history.ts";

/** Val top-1 (or train accuracy without validation) under 1.5 / classes counts as chance. */
export const CHANCE_FACTOR = 1.5;

/** What {@link checkChance} reads and updates. */
export interface ChanceState {
  /** Consecutive epochs at chance so far. */
  chanceEpochs: number;
  flags: string[];
}

/** Counts consecutive epochs at chance accuracy and raises the `stuck-at-chance` flag once. */
export function checkChance(
  state: ChanceState,
  record: EpochRecord,
  classes: number,
  patience: number,
  log: (line: string) => void,
): void {
  const acc = record.val_top1 ?? record.train_acc;
  state.chanceEpochs = acc < CHANCE_FACTOR / classes ? state.chanceEpochs + 1 : 0;
  if (state.chanceEpochs >= patience && !state.flags.includes("stuck-at-chance")) {
    state.flags.push("stuck-at-chance");
    log(
      `Warning: accuracy has stayed at chance (${pct(acc)} < ${pct(CHANCE_FACTOR / classes)} ` +
        `for ${classes} classes) for ${state.chanceEpochs} epochs: the model is not learning; ` +
        `try a lower train.lr or normalization`,
    );
  }
}
