import { describe, expect, it } from 'vitest';
import { KeyLimiter } from '../limits/key-limiter.ts';
import type { GatewayError } from '../spec/errors.ts';
import type { SharedQuota } from '../state/shared-quota.ts';
import { hashApiKey } from './api-key.ts';
import { KeyRing, type ActiveKey } from './key-ring.ts';

const clock = { now: () => Date.UTC(2026, 10, 26), sleep: () => Promise.resolve() };
const key = (overrides: Partial<ActiveKey> = {}): ActiveKey => ({
  id: 'k1',
  name: 'app',
  hash: hashApiKey('sk-sy-first'),
  allowedRoutes: [],
  ...overrides,
});

function status(run: () => unknown): number | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as GatewayError).status;
  }
}

describe('KeyRing', () => {
  it('is open with no keys, and authenticates by hash once keys exist', () => {
    const ring = new KeyRing(clock);
    expect(ring.open).toBe(true);
    expect(ring.authenticate(undefined)).toBeUndefined();
    ring.setKeys([key()]);
    expect(ring.authenticate('Bearer sk-sy-first')?.id).toBe('k1');
    expect(status(() => ring.authenticate('Bearer sk-sy-other'))).toBe(401);
    expect(status(() => ring.authenticate(undefined))).toBe(401);
  });

  it('refuses a key as soon as a refresh revokes it, even one it has just seen', () => {
    const ring = new KeyRing(clock);
    ring.setKeys([key()]);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe('ok');
    ring.setKeys([key({ revoked: true }), key({ id: 'k2', hash: hashApiKey('sk-sy-second') })]);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe(401);
    expect(status(() => ring.authenticate('Bearer sk-sy-second'))).toBe('ok');
  });

  it('stays closed when every issued key is revoked', () => {
    const ring = new KeyRing(clock);
    ring.setKeys([], { configured: true });
    expect(ring.open).toBe(false);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe(401);
  });

  it('refuses an expired key', () => {
    const ring = new KeyRing(clock);
    ring.setKeys([key({ expiresAt: new Date(clock.now() - 1) })]);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe(401);
  });
});

describe('KeyRing with a shared quota', () => {
  const away = () => Promise.reject(new Error('store unreachable'));
  const unreachable: SharedQuota = {
    take: away,
    adjust: away,
    add: away,
    release: away,
    renew: away,
    reserveBudget: away,
    settleBudget: away,
  };

  async function refusal(run: () => Promise<unknown>): Promise<string | undefined> {
    try {
      await run();
      return undefined;
    } catch (error) {
      return (error as GatewayError).code;
    }
  }

  it('leaves budget and limits to the shared decision, and charges the reservation once', async () => {
    const settled: number[] = [];
    const quota: SharedQuota = {
      ...unreachable,
      reserveBudget: () => Promise.resolve({ ok: true, id: 'r1' }),
      settleBudget: (_key, _month, _id, cost) => {
        settled.push(cost);
        return Promise.resolve();
      },
    };
    const ring = new KeyRing(clock);
    ring.setKeys([key({ monthlyBudgetUsd: 1, limits: { requestsPerMinute: 1 } })]);
    const limiter = new KeyLimiter({ clock, quota });
    const authenticated = ring.authenticate('Bearer sk-sy-first')!;
    ring.recordSpend('k1', 5);
    // Over budget on this instance's count, but the fleet's store says there is room.
    expect(status(() => ring.admit(authenticated, 'chat', 10, limiter))).toBe('ok');
    const charge = await ring.admitShared(authenticated, 10, limiter);
    charge(0.25);
    charge(0.5);
    await Promise.resolve();
    expect(settled).toEqual([0.25]);
  });

  it('decides on its own spend and counts while the store is away', async () => {
    const ring = new KeyRing(clock);
    ring.setKeys([key({ monthlyBudgetUsd: 1, limits: { requestsPerMinute: 1 } })]);
    const limiter = new KeyLimiter({ clock, quota: unreachable });
    const authenticated = ring.authenticate('Bearer sk-sy-first')!;
    expect(await refusal(() => ring.admitShared(authenticated, 10, limiter))).toBeUndefined();
    expect(await refusal(() => ring.admitShared(authenticated, 10, limiter))).toBe(
      'rate_limit_exceeded',
    );
    ring.recordSpend('k1', 1);
    expect(await refusal(() => ring.admitShared(authenticated, 10, limiter))).toBe(
      'budget_exceeded',
    );
  });
});
