/**
 * Welch's t-test: do two groups of seeds have different means, without assuming equal variances?
 * @module
 */
import { tTwoSidedP } from "./student_t.ts";

/** The outcome of {@linkcode welchTTest}. */
export interface WelchResult {
  /** (mean a − mean b) / standard error. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Two-sided Welch's t-test on the finite values of `a` and `b`.
 * When both groups have zero variance (identical seeds) the means either agree (p = 1) or
 * differ with certainty (p = 0).
 * @returns null when either group has fewer than two finite values (no variance to test with)
 */
export function welchTTest(
  a: readonly (number | null)[],
  b: readonly (number | null)[],
): WelchResult | null {
  const x = finite(a);
  const y = finite(b);
  if (x.length < 2 || y.length < 2) return null;
  const [mx, vx] = meanVariance(x);
  const [my, vy] = meanVariance(y);
  const sx = vx / x.length;
  const sy = vy / y.length;
  const se = Math.sqrt(sx + sy);
  if (se === 0) {
    return mx === my
      ? { t: 0, df: x.length + y.length - 2, p: 1 }
      : { t: Math.sign(mx - my) * Infinity, df: x.length + y.length - 2, p: 0 };
  }
  const t = (mx - my) / se;
  const df = (sx + sy) ** 2 /
    ((sx > 0 ? sx ** 2 / (x.length - 1) : 0) + (sy > 0 ? sy ** 2 / (y.length - 1) : 0));
  return { t, df, p: tTwoSidedP(t, df) };
}

function finite(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

/** Mean and sample variance (n − 1). */
function meanVariance(values: readonly number[]): [number, number] {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return [mean, variance];
}
