/**
 * A small seeded pseudo-random generator, so every run with the same seed
 * draws the same numbers on any machine.
 *
 * @module
 */

/**
 * Mulberry32: a fast 32-bit generator returning uniforms in [0, 1).
 *
 * @example
 * ```ts
 * const [a, b] = [seededRandom(42), seededRandom(42)];
 * console.log(a() === b(), a() < 1); // true true: the same values on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws from a uniform generator (Box-Muller).
 *
 * @example
 * ```ts
 * const normal = seededNormal(seededRandom(1));
 * const draws = Array.from({ length: 10000 }, normal); // N(0, 1)
 * console.log(Math.abs(draws.reduce((s, v) => s + v, 0) / 10000) < 0.05); // true: mean near 0
 * ```
 */
export function seededNormal(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/**
 * A Float32Array of `n` uniforms in [lo, hi).
 *
 * @example
 * ```ts
 * const x = randomArray(seededRandom(3), 10, -1, 1);
 * console.log(x.length, x.every((v) => v >= -1 && v < 1)); // 10 true
 * ```
 */
export function randomArray(rand: () => number, n: number, lo = 0, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}
