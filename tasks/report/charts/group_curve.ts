/**
 * One seed group's curve of a per-epoch metric: the mean over its seeds and their min–max band.
 * @module
 */
import type { SeedGroup } from "../group_by_seed.ts";
import type { StoredEpoch as EpochRecord } from "../../artifacts/history.ts";
import { maxOf, minOf } from "../extent.ts";

/** The seeds' values at one epoch. */
export interface CurvePoint {
  epoch: number;
  mean: number;
  lo: number;
  hi: number;
  /** Seeds with a finite value at this epoch. */
  seeds: number;
}

/**
 * Per epoch, the mean, min and max of `pick` over the group's seeds that have a finite value
 * there (a diverged seed stops contributing where its history ends).
 * @returns points in epoch order; empty when no seed has a finite value
 */
export function groupCurve(
  group: SeedGroup,
  pick: (epoch: EpochRecord) => number | null,
): CurvePoint[] {
  const byEpoch = new Map<number, number[]>();
  for (const result of group.results) {
    for (const record of result.history) {
      const value = pick(record);
      if (value === null || !Number.isFinite(value)) continue;
      byEpoch.set(record.epoch, [...(byEpoch.get(record.epoch) ?? []), value]);
    }
  }
  return [...byEpoch.entries()]
    .sort(([a], [b]) => a - b)
    .map(([epoch, values]) => ({
      epoch,
      mean: values.reduce((s, v) => s + v, 0) / values.length,
      lo: minOf(values),
      hi: maxOf(values),
      seeds: values.length,
    }));
}
