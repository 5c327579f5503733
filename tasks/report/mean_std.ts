/**
 * Mean and sample standard deviation of the finite values of a list.
 * @module
 */

/** Mean ± standard deviation of some values. */
export interface MeanStd {
  /** Mean of the finite values; NaN when there are none. */
  mean: number;
  /** Sample standard deviation (n − 1); null when fewer than two finite values. */
  std: number | null;
  /** How many finite values went in. */
  n: number;
}

/**
 * Computes mean and sample standard deviation, ignoring null, NaN and ±Infinity (a diverged
 * seed must not turn a whole group into NaN; the report flags it separately).
 * @returns `{ mean: NaN, std: null, n: 0 }` when no value is finite
 */
export function meanStd(values: readonly (number | null)[]): MeanStd {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return { mean: NaN, std: null, n };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: null, n };
  const variance = finite.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}
