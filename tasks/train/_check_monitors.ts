/**
 * Early refusal of monitors that cannot be measured.
 * @module
 */
import { isLossMonitor, type TrainOptions } from "./train_options.ts";

/** Rejects monitors that need a validation split when there is none. */
export function checkMonitors(train: TrainOptions, valCount: number): void {
  if (valCount > 0) return;
  const uses = [
    train.schedule.type === "plateau" ? ["train.schedule.monitor", train.schedule.monitor] : null,
    train.early_stopping ? ["train.early_stopping.monitor", train.early_stopping.monitor] : null,
  ];
  for (const use of uses) {
    if (use && use[1].startsWith("val_")) {
      throw new Error(
        `Cannot monitor ${use[0]} '${use[1]}': the split has no validation set; set ` +
          `split.validation > 0 or monitor ${
            isLossMonitor(use[1] as "val_loss") ? "train_loss" : "train_acc"
          }`,
      );
    }
  }
}
