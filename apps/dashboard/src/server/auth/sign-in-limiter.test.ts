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

describe('SignInLimiter.claim', () => {
  it('counts an attempt when it starts, so parallel attempts stop at the limit', () => {
    const limiter = new SignInLimiter({ clock: clockAt(0), maxFailures: 5 });
    const decisions = Array.from({ length: 200 }, () => limiter.claim(['address:x']));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
    limiter.recordSuccess(['address:x']);
    expect(limiter.claim(['address:x']).allowed).toBe(true);
  });
});
