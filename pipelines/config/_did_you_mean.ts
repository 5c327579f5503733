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

/** Distance of a word to a candidate, also trying the candidate's `_`/`-`/`.`-separated parts. */
function distance(word: string, candidate: string): number {
  const w = word.toLowerCase();
  const c = candidate.toLowerCase();
  const parts = c.split(/[_.-]/).filter((p) => p.length > 2);
  const partDistance = /[_.-]/.test(c) && parts.length > 0
    ? Math.min(...parts.map((p) => levenshtein(w, p) + 1))
    : Infinity;
  return Math.min(levenshtein(w, c), partDistance);
}

/**
 * Returns `did you mean 'x'?` (or `'x' or 'y'` for a tie) for the closest candidates when close
 * (at most a third of the letters differ, or two; a misspelt part such as `dropot` → `fc_dropout`
 * counts), else the list of allowed values (or "" with `listWhenFar: false`).
 */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  options: { listWhenFar?: boolean } = {},
): string {
  if (candidates.length === 0) return "";
  const scored = candidates.map((c) => ({ c, d: distance(word, c) }));
  const best = Math.min(...scored.map((s) => s.d));
  if (best <= Math.max(2, Math.ceil(word.length / 3))) {
    const closest = scored.filter((s) => s.d === best).map((s) => `'${s.c}'`);
    if (closest.length <= 3) return `did you mean ${closest.join(" or ")}?`;
  }
  if (options.listWhenFar === false) return "";
  return `allowed: ${candidates.map((c) => `'${c}'`).join(", ")}`;
}
