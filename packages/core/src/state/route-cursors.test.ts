import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from './memory-state-store.ts';
import { RouteCursors } from './route-cursors.ts';
import { brokenStore, collectUnhandledRejections } from './test-support/broken-store.ts';
import { manualClock } from './test-support/manual-clock.ts';
import { sharedMemoryStore } from './test-support/shared-memory-store.ts';

const settle = async () => {
  for (let index = 0; index < 5; index++) await Promise.resolve();
};

describe('RouteCursors', () => {
  it('counts positions per route on one instance, without a store round trip', () => {
    const clock = manualClock();
    // A store of one's own is not shared: positions are counted here, synchronously.
    const cursors = new RouteCursors({ store: new MemoryStateStore(clock), clock });
    expect([cursors.next('a'), cursors.next('a'), cursors.next('b'), cursors.next('a')]).toEqual([
      0, 1, 0, 2,
    ]);
    expect(cursors.current('a')).toBe(3);
    expect(cursors.current('a')).toBe(3);
  });

  it('gives a fleet taking turns every position once, as one instance would', async () => {
    const clock = manualClock();
    const store = sharedMemoryStore(clock);
    const fleet = [0, 1, 2].map(() => new RouteCursors({ store, clock }));
    for (const cursors of fleet) cursors.prepare(['chat']);
    await settle();
    const positions: number[] = [];
    for (let index = 0; index < 30; index++) {
      positions.push(fleet[index % 3]!.next('chat'));
      await settle();
    }
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const perTarget = [0, 1, 2].map(
      (target) => positions.filter((position) => position % 3 === target).length,
    );
    expect(perTarget).toEqual([10, 10, 10]);
  });

  it('counts on locally while the store is away, and shares again once it answers', async () => {
    const clock = manualClock();
    const store = sharedMemoryStore(clock);
    let away = true;
    const flaky = {
      ...store,
      increment: (key: string, by: number, ttlMs: number) =>
        away ? brokenStore().increment(key, by, ttlMs) : store.increment(key, by, ttlMs),
    };
    const unhandled = await collectUnhandledRejections(async () => {
      const cursors = new RouteCursors({ store: flaky, clock });
      cursors.prepare(['chat']);
      await settle();
      expect([cursors.next('chat'), cursors.next('chat'), cursors.next('chat')]).toEqual([0, 1, 2]);
      away = false;
      // Another instance took positions meanwhile.
      await store.increment('cursor:chat', 10, 60_000);
      clock.advance(1_000);
      cursors.next('chat');
      await settle();
      expect(cursors.next('chat')).toBe(10);
    });
    expect(unhandled).toEqual([]);
  });
});
