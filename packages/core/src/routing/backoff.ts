// How long to wait before retrying the same target: the upstream's Retry-After exactly when it
// gave one, else exponential backoff with full jitter.
import type { UpstreamError } from '../spec/errors.ts';
import type { RandomSource } from '../util/random.ts';

export const MAX_BACKOFF_MS = 30_000;

/** A random delay in [0, min(cap, base * 2^attempt)). */
export function fullJitterBackoff(
  attempt: number,
  baseMs: number,
  random: RandomSource,
  capMs = MAX_BACKOFF_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

export function retryDelayMs(
  failure: Pick<UpstreamError, 'retryAfterMs'>,
  retry: number,
  baseMs: number,
  random: RandomSource,
): number {
  return failure.retryAfterMs ?? fullJitterBackoff(retry, baseMs, random);
}
