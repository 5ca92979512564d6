import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../spec/errors.ts';
import { CoolDowns } from './admission.ts';

describe('CoolDowns', () => {
  it('skips a provider for the Retry-After of its 429, then lets it be tried again', () => {
    const coolDowns = new CoolDowns();
    const limited = new UpstreamError({
      kind: 'rate_limited',
      message: 'slow down',
      retryAfterMs: 2000,
    });
    coolDowns.note('a', limited, 1_000);
    expect(coolDowns.remainingMs('a', 1_500)).toBe(1500);
    expect(coolDowns.remainingMs('a', 3_000)).toBeUndefined();
    expect(coolDowns.remainingMs('a', 1_500)).toBeUndefined();
  });

  it('ignores failures that do not ask to come back later', () => {
    const coolDowns = new CoolDowns();
    coolDowns.note('a', new UpstreamError({ kind: 'rate_limited', message: 'no hint' }), 0);
    coolDowns.note('b', new UpstreamError({ kind: 'server', message: 'x', retryAfterMs: 500 }), 0);
    expect(coolDowns.remainingMs('a', 1)).toBeUndefined();
    expect(coolDowns.remainingMs('b', 1)).toBeUndefined();
  });
});
