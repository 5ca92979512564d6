// Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)).
import type { RandomSource } from '../util/random.ts';

export const MAX_BACKOFF_MS = 30_000;

export function fullJitterBackoff(
  attempt: number,
  baseMs: number,
  random: RandomSource,
  capMs = MAX_BACKOFF_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
