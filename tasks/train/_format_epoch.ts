/**
 * The one-line log of an epoch.
 * @module
 */
import type { EpochRecord } from "../artifacts/history.ts";

/** A fraction as a percentage with two decimals. */
export function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/** `epoch 3/10: train loss … | val loss … top1 … top5 … | lr … | 12.3 s, 456 img/s`. */
export function formatEpoch(r: EpochRecord, epochs: number): string {
  const val = r.val_loss === null
    ? "no validation"
    : `val loss ${r.val_loss.toFixed(4)} top1 ${pct(r.val_top1!)} top5 ${pct(r.val_top5!)}`;
  return `epoch ${r.epoch}/${epochs}: train loss ${r.train_loss.toFixed(4)} acc ${
    pct(r.train_acc)
  } | ` +
    `${val} | lr ${r.lr.toPrecision(3)} | ${r.seconds.toFixed(1)} s, ${
      Math.round(r.images_per_sec)
    } img/s`;
}
