import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../state/memory-state-store.ts';
import { brokenStore, collectUnhandledRejections } from '../state/test-support/broken-store.ts';
import { manualClock } from '../state/test-support/manual-clock.ts';
import type { QuotaVerdict, SharedQuota } from '../state/shared-quota.ts';
import { ProviderLimiter } from './provider-limiter.ts';

function setup() {
  const clock = manualClock(0);
  return { clock, limiter: new ProviderLimiter({ clock }) };
}

describe('ProviderLimiter', () => {
  it('refuses past requests per minute until the oldest request leaves the window', () => {
    const { clock, limiter } = setup();
    const limits = { requestsPerMinute: 2 };
    expect(limiter.acquire('p1', limits, 10).ok).toBe(true);
    clock.advance(15_000);
    expect(limiter.acquire('p1', limits, 10).ok).toBe(true);
    clock.advance(15_000);
    expect(limiter.acquire('p1', limits, 10)).toEqual({
      ok: false,
      retryAfterMs: 30_000,
      reason: 'limit of 2 requests per minute reached',
    });
    clock.advance(30_000);
    expect(limiter.acquire('p1', limits, 10).ok).toBe(true);
    expect(limiter.acquire('p1', limits, 10)).toMatchObject({ ok: false, retryAfterMs: 15_000 });
  });

  it('counts estimated tokens, corrected to actual usage on release', () => {
    const { clock, limiter } = setup();
    const limits = { tokensPerMinute: 1_000 };
    const first = limiter.acquire('p1', limits, 600);
    expect(first.ok).toBe(true);
    expect(limiter.acquire('p1', limits, 500)).toMatchObject({
      ok: false,
      retryAfterMs: 60_000,
      reason: 'limit of 1000 tokens per minute reached',
    });
    first.release?.(300);
    clock.advance(10_000);
    expect(limiter.acquire('p1', limits, 700).ok).toBe(true);
    expect(limiter.acquire('p1', limits, 1)).toMatchObject({ ok: false, retryAfterMs: 50_000 });
    expect(limiter.acquire('p1', limits, 5_000)).toMatchObject({ ok: false, retryAfterMs: 60_000 });
  });

  it('caps concurrency, frees a slot on release exactly once and tracks in-flight requests', () => {
    const { clock, limiter } = setup();
    const limits = { maxConcurrency: 2 };
    const first = limiter.acquire('p1', limits, 0);
    const second = limiter.acquire('p1', limits, 0);
    expect(limiter.inFlight('p1')).toBe(2);
    // Nothing measured yet: the estimate assumes requests take a second.
    expect(limiter.acquire('p1', limits, 0)).toEqual({
      ok: false,
      retryAfterMs: 1_000,
      reason: 'concurrency limit of 2 requests reached',
    });
    clock.advance(4_000);
    first.release?.(0);
    first.release?.(0);
    expect(limiter.inFlight('p1')).toBe(1);
    second.release?.(0);
    const third = limiter.acquire('p1', limits, 0);
    const fourth = limiter.acquire('p1', limits, 0);
    expect(limiter.inFlight('p1')).toBe(2);
    clock.advance(1_000);
    // Requests took 4 s; the oldest running one started 1 s ago.
    expect(limiter.acquire('p1', limits, 0)).toMatchObject({ ok: false, retryAfterMs: 3_000 });
    third.release?.(0);
    fourth.release?.(0);
    expect(limiter.inFlight('p1')).toBe(0);
    expect(limiter.inFlight('unknown')).toBe(0);
  });

  it('always admits a provider without limits but still counts it as busy', () => {
    const { limiter } = setup();
    const result = limiter.acquire('p1', undefined, 1_000_000);
    expect(result.ok).toBe(true);
    expect(limiter.inFlight('p1')).toBe(1);
    result.release?.(0);
    expect(limiter.inFlight('p1')).toBe(0);
  });

  it('waits for the longest of several exhausted limits', () => {
    const { clock, limiter } = setup();
    const limits = { requestsPerMinute: 1, tokensPerMinute: 100 };
    limiter.acquire('p1', limits, 100).release?.(100);
    clock.advance(20_000);
    limiter.acquire('p1', { tokensPerMinute: 100 }, 0);
    expect(limiter.acquire('p1', limits, 10)).toEqual({
      ok: false,
      retryAfterMs: 40_000,
      reason: 'limit of 1 requests per minute reached; limit of 100 tokens per minute reached',
    });
  });

  it('shares request counts between instances through the store', async () => {
    const clock = manualClock(0);
    const store = new MemoryStateStore(clock);
    const first = new ProviderLimiter({ clock, store });
    const second = new ProviderLimiter({ clock, store });
    const limits = { requestsPerMinute: 3 };
    first.acquire('p1', limits, 0);
    first.acquire('p1', limits, 0);
    expect(second.acquire('p1', limits, 0).ok).toBe(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(second.acquire('p1', limits, 0)).toMatchObject({ ok: false, retryAfterMs: 60_000 });
  });

  it('keeps limiting locally when the store fails', async () => {
    const unhandled = await collectUnhandledRejections(() => {
      const limiter = new ProviderLimiter({ clock: manualClock(0), store: brokenStore() });
      const limits = { requestsPerMinute: 1, tokensPerMinute: 100 };
      limiter.acquire('p1', limits, 50).release?.(80);
      expect(limiter.acquire('p1', limits, 10)).toMatchObject({ ok: false, retryAfterMs: 60_000 });
    });
    expect(unhandled).toEqual([]);
  });
});

describe('ProviderLimiter with a shared quota', () => {
  function recordingQuota(verdicts: QuotaVerdict[]): { quota: SharedQuota; calls: string[] } {
    const calls: string[] = [];
    const quota: SharedQuota = {
      take: (subject) => {
        calls.push(`take ${subject.checks.map((check) => check.name).join(',')}`);
        const verdict = verdicts.shift();
        return verdict ? Promise.resolve(verdict) : Promise.reject(new Error('store unreachable'));
      },
      adjust: (_subject, name, id, amount) => {
        calls.push(`adjust ${name} ${id} ${amount}`);
        return Promise.resolve();
      },
      add: () => Promise.resolve(),
      release: (_subject, name, id) => {
        calls.push(`release ${name} ${id}`);
        return Promise.resolve();
      },
      renew: () => Promise.resolve(),
      reserveBudget: () => Promise.resolve({ ok: false }),
      settleBudget: () => Promise.resolve(),
    };
    return { quota, calls };
  }

  it('holds a shared lease until release and corrects the token estimate', async () => {
    const { quota, calls } = recordingQuota([{ ok: true, id: 'a' }]);
    const limiter = new ProviderLimiter({ clock: manualClock(0), quota });
    const limits = { tokensPerMinute: 1_000, maxConcurrency: 1 };
    const result = await limiter.acquireShared('p1', limits, 300);
    expect(result.ok).toBe(true);
    expect(limiter.inFlight('p1')).toBe(1);
    result.release?.(120);
    result.release?.(120);
    await Promise.resolve();
    expect(calls).toEqual([
      'take tokens,concurrency',
      'release concurrency a',
      'adjust tokens a 120',
    ]);
    expect(limiter.inFlight('p1')).toBe(0);
    limiter.close();
  });

  it('reports a shared refusal and falls back to local counts while the store is away', async () => {
    const { quota } = recordingQuota([{ ok: false, retryAfterMs: 7_000, refused: ['requests'] }]);
    const limiter = new ProviderLimiter({ clock: manualClock(0), quota });
    const limits = { requestsPerMinute: 1 };
    expect(await limiter.acquireShared('p1', limits, 0)).toEqual({
      ok: false,
      retryAfterMs: 7_000,
      reason: 'limit of 1 requests per minute reached',
    });
    // The store is away from here on: the full limit holds on this instance's own count.
    expect((await limiter.acquireShared('p1', limits, 0)).ok).toBe(true);
    expect(await limiter.acquireShared('p1', limits, 0)).toMatchObject({ ok: false });
  });
});
