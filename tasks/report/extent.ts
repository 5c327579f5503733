/**
 * The least and greatest of a list of numbers, by a loop: `Math.min(...list)` passes every
 * element as an argument and overflows the stack on a long list (a report over a big sweep has a
 * value per run and epoch). Same answers as `Math.min` / `Math.max`: NaN if any value is NaN,
 * Infinity / -Infinity for an empty list.
 * @module
 */

/** `Math.min(...values)` for a list of any length. */
export function minOf(values: Iterable<number>): number {
  let least = Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) return NaN;
    if (v < least) least = v;
  }
  return least;
}

/** `Math.max(...values)` for a list of any length. */
export function maxOf(values: Iterable<number>): number {
  let greatest = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) return NaN;
    if (v > greatest) greatest = v;
  }
  return greatest;
}
