import { describe, expect, it } from 'vitest';
import { AccountBackoff } from './account-backoff.ts';

function clockAt(start: number) {
  const clock = { value: start, now: () => clock.value, sleep: () => Promise.resolve() };
  return clock;
}

describe('AccountBackoff', () => {
  it('lets the first failures through, then doubles the wait up to the cap', () => {
    const backoff = new AccountBackoff({
      clock: clockAt(0),
      freeFailures: 2,
      baseDelayMs: 1_000,
      maxDelayMs: 8_000,
    });
    expect([1, 2, 3, 4, 5, 6, 10].map((failures) => backoff.delayAfter(failures))).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
  });

  it('refuses attempts during the wait and forgets the account after a success', () => {
    const clock = clockAt(0);
    const backoff = new AccountBackoff({ clock, freeFailures: 1, baseDelayMs: 1_000 });
    backoff.recordFailure('a');
    expect(backoff.check('a')).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(backoff.check('b').allowed).toBe(true);
    clock.value = 1_000;
    expect(backoff.check('a').allowed).toBe(true);
    backoff.recordSuccess('a');
    backoff.recordFailure('a');
    expect(backoff.check('a')).toEqual({ allowed: false, retryAfterMs: 1_000 });
  });

  it('forgets old failures', () => {
    const clock = clockAt(0);
    const backoff = new AccountBackoff({ clock, freeFailures: 1, memoryMs: 60_000 });
    for (let failure = 0; failure < 10; failure += 1) backoff.recordFailure('a');
    clock.value = 120_000;
    expect(backoff.check('a').allowed).toBe(true);
    backoff.recordFailure('a');
    expect(backoff.check('a').retryAfterMs).toBe(1_000);
  });
});
