/** Edit distance (insertions, deletions, substitutions), used to suggest the key a user meant. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Returns `did you mean 'x'?` for the closest candidate when it is close (at most a third of the
 * letters differ, or two), else the list of allowed values (or "" with `listWhenFar: false`).
 */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  options: { listWhenFar?: boolean } = {},
): string {
  if (candidates.length === 0) return "";
  let best = candidates[0];
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (bestDistance <= Math.max(2, Math.ceil(word.length / 3))) return `did you mean '${best}'?`;
  if (options.listWhenFar === false) return "";
  return `allowed: ${candidates.map((c) => `'${c}'`).join(", ")}`;
}
