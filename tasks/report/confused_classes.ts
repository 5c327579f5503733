/**
 * Picks which classes a confusion matrix or per-class table shows when there are too many to
 * read (Tiny ImageNet has 200).
 * @module
 */

/**
 * The indices of the `max` classes with the most errors (misclassified images of the class plus
 * images wrongly predicted as it), in class order; all classes when there are at most `max`.
 */
export function confusedClasses(confusion: readonly (readonly number[])[], max: number): number[] {
  const n = confusion.length;
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= max) return all;
  const errors = all.map((i) => {
    let total = 0;
    for (let j = 0; j < n; j++) {
      if (j !== i) total += confusion[i][j] + confusion[j][i];
    }
    return total;
  });
  return all
    .sort((a, b) => errors[b] - errors[a] || a - b)
    .slice(0, max)
    .sort((a, b) => a - b);
}
