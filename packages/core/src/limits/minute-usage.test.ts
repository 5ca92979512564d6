import { describe, expect, it } from 'vitest';
import { combineRefusals, createMinuteUsage, minuteRefusals, usageFor } from './minute-usage.ts';

describe('minute usage', () => {
  it('refuses each per-minute limit without room, with its own wait', () => {
    const usage = createMinuteUsage('limits:test:a', undefined);
    usage.requests.record(0, 1);
    usage.tokens.record(10_000, 900);
    expect(
      minuteRefusals(usage, { requestsPerMinute: 1, tokensPerMinute: 1_000 }, 200, 20_000),
    ).toEqual([
      { retryAfterMs: 40_000, reason: 'limit of 1 requests per minute reached' },
      { retryAfterMs: 50_000, reason: 'limit of 1000 tokens per minute reached' },
    ]);
    expect(minuteRefusals(usage, { tokensPerMinute: 1_000 }, 100, 20_000)).toEqual([]);
    expect(minuteRefusals(usage, {}, 10_000, 20_000)).toEqual([]);
  });

  it('combines refusals into the longest wait and every reason', () => {
    expect(combineRefusals([])).toBeUndefined();
    expect(
      combineRefusals(
        [
          { retryAfterMs: 40_000, reason: 'first' },
          { retryAfterMs: 50_000, reason: 'second' },
        ],
        'API key ',
      ),
    ).toEqual({ ok: false, retryAfterMs: 50_000, reason: 'API key first; second' });
  });

  it('creates a subject’s usage once and keeps it', () => {
    const usage = new Map<string, { created: number }>();
    let created = 0;
    const create = () => ({ created: ++created });
    const first = usageFor(usage, 'a', create);
    expect(usageFor(usage, 'a', create)).toBe(first);
    expect(usageFor(usage, 'b', create)).toEqual({ created: 2 });
  });
});
