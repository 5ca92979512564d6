import { describe, expect, it } from 'vitest';
import { manualClock } from '../state/test-support/manual-clock.ts';
import type { QuotaSubject, QuotaVerdict, SharedQuota } from '../state/shared-quota.ts';
import { collectUnhandledRejections } from '../state/test-support/broken-store.ts';
import { KeyLimiter } from './key-limiter.ts';

describe('KeyLimiter', () => {
  it('rejects a key over its requests per minute with the time until it has room', () => {
    const clock = manualClock(0);
    const limiter = new KeyLimiter({ clock });
    const limits = { requestsPerMinute: 3 };
    for (let index = 0; index < 3; index++) {
      expect(limiter.check('k1', limits, 0)).toEqual({ ok: true });
      clock.advance(5_000);
    }
    expect(limiter.check('k1', limits, 0)).toEqual({
      ok: false,
      retryAfterMs: 45_000,
      reason: 'API key limit of 3 requests per minute reached',
    });
    expect(limiter.check('k2', limits, 0).ok).toBe(true);
    clock.advance(45_000);
    expect(limiter.check('k1', limits, 0).ok).toBe(true);
    expect(limiter.check('k1', limits, 0)).toMatchObject({ ok: false, retryAfterMs: 5_000 });
  });

  it('counts the tokens a key really used and checks the next estimate against them', () => {
    const clock = manualClock(0);
    const limiter = new KeyLimiter({ clock });
    const limits = { tokensPerMinute: 1_000 };
    expect(limiter.check('k1', limits, 900).ok).toBe(true);
    expect(limiter.check('k1', limits, 900).ok).toBe(true);
    limiter.recordTokens('k1', 700);
    clock.advance(30_000);
    expect(limiter.check('k1', limits, 200).ok).toBe(true);
    expect(limiter.check('k1', limits, 400)).toEqual({
      ok: false,
      retryAfterMs: 30_000,
      reason: 'API key limit of 1000 tokens per minute reached',
    });
    clock.advance(30_000);
    expect(limiter.check('k1', limits, 400).ok).toBe(true);
  });

  it('lets keys without limits through', () => {
    const limiter = new KeyLimiter({ clock: manualClock(0) });
    for (let index = 0; index < 100; index++)
      expect(limiter.check('k1', undefined, 1_000_000).ok).toBe(true);
    limiter.recordTokens('k1', 1_000_000);
    expect(limiter.check('k1', {}, 1).ok).toBe(true);
  });

  it('holds at most maxConcurrency slots per key, freeing each exactly once', () => {
    const limiter = new KeyLimiter({ clock: manualClock(0) });
    const limits = { maxConcurrency: 2 };
    const first = limiter.acquire('k1', limits);
    const second = limiter.acquire('k1', limits);
    expect(first.ok && second.ok).toBe(true);
    expect(limiter.acquire('k1', limits)).toEqual({
      ok: false,
      retryAfterMs: 1_000,
      reason: 'API key limit of 2 concurrent requests (open streams included) reached',
    });
    expect(limiter.acquire('k2', limits).ok).toBe(true);
    if (first.ok) {
      first.release();
      first.release();
    }
    expect(limiter.inFlight('k1')).toBe(1);
    expect(limiter.acquire('k1', limits).ok).toBe(true);
    expect(limiter.acquire('k1', limits).ok).toBe(false);
    expect(limiter.acquire('k1', undefined).ok).toBe(true);
  });
});

describe('KeyLimiter with a shared quota', () => {
  const unreachable: SharedQuota = {
    take: () => Promise.reject(new Error('store unreachable')),
    adjust: () => Promise.reject(new Error('store unreachable')),
    add: () => Promise.reject(new Error('store unreachable')),
    release: () => Promise.reject(new Error('store unreachable')),
    renew: () => Promise.reject(new Error('store unreachable')),
    reserveBudget: () => Promise.reject(new Error('store unreachable')),
    settleBudget: () => Promise.reject(new Error('store unreachable')),
  };

  it('takes the shared decision and names the refused limit', async () => {
    const seen: QuotaSubject[] = [];
    const quota: SharedQuota = {
      ...unreachable,
      take: (subject) => {
        seen.push(subject);
        return Promise.resolve({ ok: false, retryAfterMs: 12_000, refused: ['tokens'] });
      },
    };
    const limiter = new KeyLimiter({ clock: manualClock(0), quota });
    expect(limiter.shared).toBe(true);
    expect(await limiter.decide('k1', { requestsPerMinute: 5, tokensPerMinute: 100 }, 40)).toEqual({
      ok: false,
      retryAfterMs: 12_000,
      reason: 'API key limit of 100 tokens per minute reached',
      concurrency: false,
    });
    expect(seen[0]?.checks).toEqual([
      { name: 'requests', kind: 'window', limit: 5, need: 1, add: 1 },
      { name: 'tokens', kind: 'window', limit: 100, need: 40, add: 0 },
    ]);
  });

  it('takes a fleet-wide concurrency lease with the per-minute checks and gives it back once', async () => {
    const calls: string[] = [];
    const verdicts: QuotaVerdict[] = [
      { ok: true, id: 'lease-1' },
      { ok: false, retryAfterMs: 1, refused: ['concurrency'] },
      { ok: false, retryAfterMs: 9_000, refused: ['requests', 'concurrency'] },
    ];
    const quota: SharedQuota = {
      ...unreachable,
      take: (subject, _windowMs, leaseMs) => {
        calls.push(`take ${subject.checks.map((check) => check.name).join(',')} ${leaseMs}`);
        const verdict = verdicts.shift();
        return verdict ? Promise.resolve(verdict) : Promise.reject(new Error('store unreachable'));
      },
      release: (_subject, name, id) => {
        calls.push(`release ${name} ${id}`);
        return Promise.resolve();
      },
    };
    const limiter = new KeyLimiter({ clock: manualClock(0), quota });
    const limits = { requestsPerMinute: 10, maxConcurrency: 2 };
    const admitted = await limiter.decide('k1', limits, 0, { concurrency: true });
    expect(admitted.ok).toBe(true);
    if (admitted.ok) {
      admitted.release();
      admitted.release();
    }
    await Promise.resolve();
    expect(calls).toEqual(['take requests,concurrency 30000', 'release concurrency lease-1']);
    expect(await limiter.decide('k1', limits, 0, { concurrency: true })).toEqual({
      ok: false,
      retryAfterMs: 1_000,
      reason: 'API key limit of 2 concurrent requests (open streams included) reached',
      concurrency: true,
    });
    expect(await limiter.decide('k1', limits, 0, { concurrency: true })).toMatchObject({
      ok: false,
      retryAfterMs: 9_000,
      concurrency: false,
    });
    // Without asking for the slot (embeddings), no lease is taken.
    await limiter.decide('k1', limits, 0).catch(() => undefined);
    expect(calls.at(-1)).toBe('take requests 30000');
    limiter.close();
  });

  it('decides on its own count, with the full limit, while the store is away', async () => {
    const unhandled = await collectUnhandledRejections(async () => {
      const limiter = new KeyLimiter({ clock: manualClock(0), quota: unreachable });
      const limits = { requestsPerMinute: 2 };
      expect((await limiter.decide('k1', limits, 0)).ok).toBe(true);
      expect((await limiter.decide('k1', limits, 0)).ok).toBe(true);
      expect(await limiter.decide('k1', limits, 0)).toMatchObject({ ok: false });
      limiter.recordTokens('k1', 10);
      expect(await limiter.reserveBudget('k1', '2026-0', 5, 0)).toBeUndefined();
    });
    expect(unhandled).toEqual([]);
  });
});
