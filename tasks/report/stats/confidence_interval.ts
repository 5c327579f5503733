/**
 * The 95 % confidence interval of a mean over seeds (Student's t, n − 1 degrees of freedom).
 * @module
 */
import type { MeanStd } from "../mean_std.ts";
import { tQuantile } from "./student_t.ts";

/** A two-sided interval around a mean. */
export interface Interval {
  lo: number;
  hi: number;
}

/**
 * mean ± t(0.975, n − 1) · std / √n, cut to `bounds` (an accuracy's mean lies in [0, 1]).
 * @returns null for fewer than two values (a single seed has no interval)
 */
export function confidenceInterval95(
  stat: MeanStd,
  bounds: Interval = { lo: -Infinity, hi: Infinity },
): Interval | null {
  if (stat.std === null || stat.n < 2 || !Number.isFinite(stat.mean)) return null;
  const half = tQuantile(0.975, stat.n - 1) * stat.std / Math.sqrt(stat.n);
  return { lo: Math.max(bounds.lo, stat.mean - half), hi: Math.min(bounds.hi, stat.mean + half) };
}
