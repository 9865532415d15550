/**
 * Seeded pseudo-random numbers for resampling. Every bootstrap and permutation in this module draws from here, so a
 * result is reproducible from its seed: the same inputs and seed give the same interval on the Worker, in Node and
 * in the browser. Not for secrets (use `crypto.getRandomValues` there).
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** The seed used when a caller gives none, so that even an unseeded call is reproducible. */
export const DEFAULT_SEED = 0x5eed;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): one word of state, period 2^32, a few integer operations per
 * draw. A bootstrap makes a few million draws, far below the period; the generator's small state is no concern
 * for resampling, where we need reproducibility, not unpredictability. A string seed (a run id, say) is hashed.
 */
export function createRng(seed: number | string = DEFAULT_SEED): Rng {
  let state = typeof seed === "string" ? hashSeed(seed) : seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** FNV-1a over the string's UTF-16 code units: turns an id into a 32-bit seed. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
