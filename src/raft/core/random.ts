import type { RandomSource } from './config.js';

/**
 * A seeded pseudo-random source (mulberry32). Deterministic for a given seed,
 * so every simulator run and test reproduces from its seed. Not for security.
 */
export function createRandom(seed: number): RandomSource {
  if (!Number.isInteger(seed)) throw new Error(`random seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return r;
  };
}

/** A uniform integer in [lo, hi). */
export function randomInt(random: RandomSource, lo: number, hi: number): number {
  if (!(hi > lo)) throw new Error(`randomInt: empty range [${lo}, ${hi})`);
  const r = random();
  if (!(r >= 0 && r < 1)) throw new Error(`random source returned ${r}, outside [0, 1)`);
  return lo + Math.floor(r * (hi - lo));
}
