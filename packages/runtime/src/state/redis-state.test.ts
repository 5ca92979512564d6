// The Redis state store and quota scripts against a redis-server of the test's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisState } from './redis-state.ts';
import { noRedisServer, startTestRedis, type TestRedis } from '@switchyard/testkit';

let redis: TestRedis;
const opened: RedisState[] = [];
const log = { info: () => undefined, warn: () => undefined };

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await Promise.all(opened.map((state) => state.close()));
  await redis.stop();
});

async function open(): Promise<RedisState> {
  let up = false;
  const state = new RedisState({
    target: { kind: 'redis', url: redis.url },
    log,
    onReachable: (reachable) => {
      up = reachable;
    },
  });
  opened.push(state);
  const deadline = Date.now() + 5_000;
  while (!up && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return state;
}

const window = (limit: number, need: number, add: number) => ({
  name: 'tokens',
  kind: 'window' as const,
  limit,
  need,
  add,
});

describe.skipIf(noRedisServer)('RedisState', () => {
  it('admits within a sliding window and says how long until the amount fits', async () => {
    const state = await open();
    const subject = 'test:window';
    const first = await state.take({ subject, checks: [window(100, 60, 60)] }, 1_000, 0);
    expect(first.ok).toBe(true);
    const second = await state.take({ subject, checks: [window(100, 50, 50)] }, 1_000, 0);
    expect(second).toMatchObject({ ok: false, refused: ['tokens'] });
    if (!second.ok) {
      expect(second.retryAfterMs).toBeGreaterThan(500);
      expect(second.retryAfterMs).toBeLessThanOrEqual(1_000);
    }
    // Correcting the first request's estimate (60 → 20) makes room at once.
    if (first.ok) await state.adjust(subject, 'tokens', first.id, 20);
    expect((await state.take({ subject, checks: [window(100, 50, 50)] }, 1_000, 0)).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await state.take({ subject, checks: [window(100, 100, 0)] }, 1_000, 0)).ok).toBe(true);
  });

  it('records nothing when one of several checks refuses', async () => {
    const state = await open();
    const subject = 'test:all-or-nothing';
    const requests = { name: 'requests', kind: 'window' as const, limit: 5, need: 1, add: 1 };
    expect((await state.take({ subject, checks: [window(10, 10, 10)] }, 60_000, 0)).ok).toBe(true);
    const refused = await state.take({ subject, checks: [requests, window(10, 5, 5)] }, 60_000, 0);
    expect(refused).toMatchObject({ ok: false, refused: ['tokens'] });
    for (let index = 0; index < 5; index++)
      expect((await state.take({ subject, checks: [requests] }, 60_000, 0)).ok).toBe(true);
    expect(await state.take({ subject, checks: [requests] }, 60_000, 0)).toMatchObject({
      ok: false,
      refused: ['requests'],
    });
  });

  it('holds a semaphore of leases that free on release or expiry', async () => {
    const state = await open();
    const subject = 'test:leases';
    const lease = { name: 'concurrency', kind: 'lease' as const, limit: 2 };
    const first = await state.take({ subject, checks: [lease] }, 60_000, 300);
    const second = await state.take({ subject, checks: [lease] }, 60_000, 300);
    expect(first.ok && second.ok).toBe(true);
    expect((await state.take({ subject, checks: [lease] }, 60_000, 300)).ok).toBe(false);
    if (first.ok) await state.release(subject, 'concurrency', first.id);
    expect((await state.take({ subject, checks: [lease] }, 60_000, 300)).ok).toBe(true);
    // The second lease is renewed; the third one (never renewed) expires.
    if (second.ok) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await state.renew([{ subject, name: 'concurrency', id: second.id }], 300);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await state.take({ subject, checks: [lease] }, 60_000, 300)).ok).toBe(true);
    expect((await state.take({ subject, checks: [lease] }, 60_000, 300)).ok).toBe(false);
  });

  it('reserves budget at admission and charges what was spent', async () => {
    const state = await open();
    const first = await state.reserveBudget('k1', '2026-11', 1, 0, 60_000);
    expect(first.ok).toBe(true);
    // No cost known yet: the first request holds the whole remaining budget.
    expect((await state.reserveBudget('k1', '2026-11', 1, 0, 60_000)).ok).toBe(false);
    if (first.ok) await state.settleBudget('k1', '2026-11', first.id, 0.4);
    const second = await state.reserveBudget('k1', '2026-11', 1, 0, 60_000);
    const third = await state.reserveBudget('k1', '2026-11', 1, 0, 60_000);
    // 0.4 spent plus two reservations of the last cost (0.4 each) leave no room for a fourth.
    expect(second.ok && third.ok).toBe(true);
    expect((await state.reserveBudget('k1', '2026-11', 1, 0, 60_000)).ok).toBe(false);
    // What this instance knew from its logs counts as a floor.
    expect((await state.reserveBudget('k2', '2026-11', 1, 1.5, 60_000)).ok).toBe(false);
  });

  it('grants a lease to the first of several claims until it expires', async () => {
    const [one, other] = await Promise.all([open(), open()]);
    const claims = await Promise.all([
      one.setIfAbsent('probe:p1', 'one', 300),
      other.setIfAbsent('probe:p1', 'other', 300),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await one.get('probe:p1')).toBe(claims[0] ? 'one' : 'other');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await other.setIfAbsent('probe:p1', 'other', 300)).toBe(true);
  });

  it('shares values and publishes them to every instance', async () => {
    const [writer, reader] = await Promise.all([open(), open()]);
    const seen: Array<[string, unknown]> = [];
    reader.subscribe('circuit:', (key, value) => seen.push([key, value]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writer.set('circuit:p1', { state: 'open' }, 5_000);
    await writer.set('cache:x', 1);
    expect(await reader.get('circuit:p1')).toEqual({ state: 'open' });
    expect(await writer.increment('counter', 2, 5_000)).toBe(2);
    expect(await reader.increment('counter', 3, 5_000)).toBe(5);
    await writer.delete('circuit:p1');
    const deadline = Date.now() + 2_000;
    while (seen.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([
      ['circuit:p1', { state: 'open' }],
      ['circuit:p1', undefined],
    ]);
  });
});
