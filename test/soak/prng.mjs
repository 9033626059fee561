// A seeded pseudo-random generator (mulberry32), in plain JavaScript so that the soak, which node runs without a
// TypeScript step, and the tests (through test/support/prng.ts) share it. The seed is printed; the same seed makes the
// same choices again.

/**
 * @typedef {object} Prng
 * @property {number} seed
 * @property {() => number} next a float in [0, 1)
 * @property {(min: number, max: number) => number} int an integer in [min, max]
 * @property {(p: number) => boolean} chance true with probability p
 * @property {<T>(items: readonly T[]) => T} pick one element of a non-empty list
 * @property {(alphabet: string, length: number) => string} chars `length` characters drawn from `alphabet`
 */

/**
 * The generator for `seed`.
 * @param {number} seed
 * @returns {Prng}
 */
export function createPrng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (/** @type {number} */ min, /** @type {number} */ max) => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return /** @type {any} */ (items[int(0, items.length - 1)]);
    },
    chars: (alphabet, length) => {
      let text = '';
      for (let i = 0; i < length; i += 1) text += alphabet[int(0, alphabet.length - 1)];
      return text;
    },
  };
}

/**
 * Picks a key of `weights` with probability proportional to its weight (keys with weight 0 never).
 * @template {string} K
 * @param {Prng} prng
 * @param {Partial<Record<K, number>>} weights
 * @returns {K | null} null when every weight is 0
 */
export function pickWeighted(prng, weights) {
  const entries = /** @type {[K, number][]} */ (Object.entries(weights)).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (total === 0) return null;
  let at = prng.next() * total;
  for (const [key, w] of entries) {
    at -= w;
    if (at < 0) return key;
  }
  return /** @type {[K, number]} */ (entries.at(-1))[0];
}
