import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, isRetryableStatus, nextRetryDelayMs } from './delivery-backoff.ts';

describe('delivery backoff', () => {
  const noJitter = () => 0;

  it('doubles from the base delay up to the cap, then gives up after the last attempt', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 10_000 };
    const delays = [1, 2, 3, 4, 5, 6, 7].map((made) => nextRetryDelayMs(made, policy, noJitter));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
    expect(nextRetryDelayMs(8, policy, noJitter)).toBeUndefined();
  });

  it('spreads retries by at most a fifth, never past the cap', () => {
    expect(nextRetryDelayMs(1, DEFAULT_BACKOFF, () => 0.999)).toBe(5_999);
    const capped = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 1_000 };
    expect(nextRetryDelayMs(2, capped, () => 0.999)).toBe(1_000);
  });

  it('bounds the default policy to six attempts', () => {
    expect(nextRetryDelayMs(5, DEFAULT_BACKOFF, noJitter)).toBe(80_000);
    expect(nextRetryDelayMs(6, DEFAULT_BACKOFF, noJitter)).toBeUndefined();
  });

  it('retries server errors, timeouts and rate limits, not refusals', () => {
    expect([500, 502, 503, 408, 429].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410].some(isRetryableStatus)).toBe(false);
  });
});
