/**
 * Welch's t-test: do two groups of runs (the seeds of two settings) differ in mean, without
 * assuming equal variances? Used where two settings are compared across seeds.
 * @module
 */

/** What {@linkcode welchTTest} found. */
export interface WelchResult {
  /** (mean of b − mean of a) / its standard error. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; ~15 significant digits). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function, by the modified Lentz method. */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let result = d;
  for (let m = 1; m <= 300; m++) {
    // Even step, then odd step of the fraction's terms.
    for (
      const numerator of [
        (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
        -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
      ]
    ) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      result *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return result;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/**
 * Welch's unequal-variance t-test of the means of `a` and `b`.
 * @returns undefined when either group has fewer than two values (no variance to judge by).
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult | undefined {
  if (a.length < 2 || b.length < 2) return undefined;
  const stats = (xs: readonly number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    return { mean, se2: variance / xs.length, n: xs.length };
  };
  const sa = stats(a);
  const sb = stats(b);
  const se2 = sa.se2 + sb.se2;
  if (se2 === 0) {
    // No spread at all: the means are either equal or certainly different.
    const same = sa.mean === sb.mean;
    return { t: same ? 0 : Math.sign(sb.mean - sa.mean) * Infinity, df: NaN, p: same ? 1 : 0 };
  }
  const t = (sb.mean - sa.mean) / Math.sqrt(se2);
  const df = se2 ** 2 / (sa.se2 ** 2 / (sa.n - 1) + sb.se2 ** 2 / (sb.n - 1));
  return { t, df, p: incompleteBeta(df / (df + t * t), df / 2, 0.5) };
}
