/**
 * A seeded stand-in for `Math.random`, so that tfjs ops without an explicit seed (dropout draws its
 * seed from `Math.random`) repeat exactly from run to run and after a resume.
 * @module
 */

/** Handle on an installed seeded `Math.random`. */
export interface SeededMathRandom {
  /** Restart the stream from a seed derived from these integers, e.g. (seed, epoch, batch). */
  reseed(...parts: number[]): void;
  /** Put the original `Math.random` back. Safe to call twice. */
  restore(): void;
}

/** Mixes integers into one 32-bit seed (murmur3-style finalizer per part), order-sensitive. */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Split doubles into two 32-bit words so large or fractional seeds still differ.
    const words = [part >>> 0, Math.floor(part / 0x100000000) >>> 0];
    for (const w of words) {
      h = Math.imul(h ^ w, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** Returns a mulberry32 generator of floats in [0, 1) seeded with a 32-bit integer. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Replaces `Math.random` by a seeded generator until `restore()` is called.
 *
 * @param parts integers the first stream is seeded from
 * @returns a handle to reseed or restore
 */
export function installSeededMathRandom(...parts: number[]): SeededMathRandom {
  const original = Math.random;
  let next = mulberry32(hashSeed(...parts));
  Math.random = () => next();
  let restored = false;
  return {
    reseed(...p: number[]) {
      next = mulberry32(hashSeed(...p));
    },
    restore() {
      if (!restored) Math.random = original;
      restored = true;
    },
  };
}
