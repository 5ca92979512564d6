// Randomness as a dependency: production uses Math.random, tests a seeded generator.

/** Returns a float in [0, 1). */
export type RandomSource = () => number;

export const systemRandom: RandomSource = Math.random;

/** A small deterministic generator (mulberry32) for tests and reproducible simulations. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
