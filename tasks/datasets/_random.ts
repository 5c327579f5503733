/** Mixes 32-bit keys into one well-spread 32-bit state (murmur3's finalizer on each step). */
function mix(keys: number[]): number {
  let h = 0x9e3779b9;
  for (const key of keys) {
    h ^= Math.imul((key | 0) ^ (key / 0x100000000 | 0), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * A seeded generator of floats in [0, 1) (mulberry32) whose stream depends only on `keys`,
 * e.g. (seed, epoch) — so a resumed run draws the same numbers.
 */
export function seededRandom(...keys: number[]): () => number {
  let state = mix(keys);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(
  array: T,
  random: () => number,
): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
