import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './sign-in-limiter.ts';

function clockAt(start: number) {
  const clock = { value: start, now: () => clock.value, sleep: () => Promise.resolve() };
  return clock;
}

describe('SignInLimiter', () => {
  it('blocks a key after too many failures and says how long to wait', () => {
    const clock = clockAt(0);
    const limiter = new SignInLimiter({ clock, maxFailures: 2, windowMs: 10_000 });
    limiter.recordFailure(['email:a']);
    clock.value = 4_000;
    limiter.recordFailure(['email:a']);
    expect(limiter.check(['email:a', 'address:x'])).toEqual({
      allowed: false,
      retryAfterMs: 6_000,
    });
    expect(limiter.check(['email:b'])).toEqual({ allowed: true, retryAfterMs: 0 });
    clock.value = 10_001;
    expect(limiter.check(['email:a']).allowed).toBe(true);
  });

  it('forgets failures after a success', () => {
    const limiter = new SignInLimiter({ clock: clockAt(0), maxFailures: 1 });
    limiter.recordFailure(['address:x']);
    expect(limiter.check(['address:x']).allowed).toBe(false);
    limiter.recordSuccess(['address:x']);
    expect(limiter.check(['address:x']).allowed).toBe(true);
  });
});

describe('SignInLimiter.begin', () => {
  it('counts an attempt when it starts, so parallel attempts stop at the limit', () => {
    const limiter = new SignInLimiter({ clock: clockAt(0), maxFailures: 5 });
    const decisions = Array.from({ length: 200 }, (_, index) =>
      limiter.begin({ email: `user${index}@example.com`, address: 'x' }),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
    limiter.succeeded({ email: 'user0@example.com', address: 'x' });
    expect(limiter.begin({ email: 'user0@example.com', address: 'x' }).allowed).toBe(true);
  });

  it('slows guesses on one account from rotating addresses without locking its owner out', () => {
    const clock = clockAt(0);
    const limiter = new SignInLimiter({
      clock,
      accountBackoff: { freeFailures: 3, baseDelayMs: 1_000, maxDelayMs: 30_000 },
    });
    const email = 'owner@example.com';
    const parallel = Array.from({ length: 50 }, (_, index) =>
      limiter.begin({ email, address: `stranger-${index}` }),
    );
    expect(parallel.filter((decision) => decision.allowed)).toHaveLength(3);
    // A stranger keeps failing, from a new address each time, as soon as each wait ends.
    for (let guess = 0; guess < 20; guess += 1) {
      const decision = limiter.begin({ email, address: `stranger-${100 + guess}` });
      clock.value += decision.allowed ? 0 : decision.retryAfterMs;
    }
    const owner = limiter.begin({ email, address: 'owner-laptop' });
    expect(owner.retryAfterMs).toBeLessThanOrEqual(30_000);
    clock.value += owner.retryAfterMs;
    expect(limiter.begin({ email, address: 'owner-laptop' }).allowed).toBe(true);
  });
});
