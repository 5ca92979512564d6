import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from './memory-state-store.ts';
import { manualClock } from './test-support/manual-clock.ts';

describe('MemoryStateStore', () => {
  it('stores values and expires them after their ttl', async () => {
    const clock = manualClock();
    const store = new MemoryStateStore(clock);
    await store.set('a', { state: 'open' }, 1_000);
    await store.set('b', 42);
    expect(await store.get('a')).toEqual({ state: 'open' });
    clock.advance(1_000);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBe(42);
    await store.delete('b');
    expect(await store.get('b')).toBeUndefined();
  });

  it('copies values so callers cannot mutate stored state', async () => {
    const store = new MemoryStateStore(manualClock());
    const value = { count: 1 };
    await store.set('k', value);
    value.count = 2;
    const read = await store.get<{ count: number }>('k');
    read!.count = 3;
    expect(await store.get('k')).toEqual({ count: 1 });
  });

  it('increments a counter whose ttl starts at creation', async () => {
    const clock = manualClock();
    const store = new MemoryStateStore(clock);
    expect(await store.increment('c', 2, 60_000)).toBe(2);
    clock.advance(59_000);
    expect(await store.increment('c', 3, 60_000)).toBe(5);
    clock.advance(1_000);
    expect(await store.increment('c', 1, 60_000)).toBe(1);
    await store.set('text', 'x');
    await expect(store.increment('text', 1, 1_000)).rejects.toThrow(TypeError);
  });

  it('calls subscribers for sets and deletes under their prefix only', async () => {
    const store = new MemoryStateStore(manualClock());
    const seen: Array<[string, unknown]> = [];
    const unsubscribe = store.subscribe('circuit:', (key, value) => seen.push([key, value]));
    store.subscribe('circuit:', () => {
      throw new Error('subscriber bug');
    });
    await store.set('circuit:p1', 'open');
    await store.set('health:p1', true);
    await store.delete('circuit:p1');
    unsubscribe();
    await store.set('circuit:p2', 'open');
    expect(seen).toEqual([
      ['circuit:p1', 'open'],
      ['circuit:p1', undefined],
    ]);
  });

  it('sweeps expired entries that are never read again', async () => {
    const clock = manualClock();
    const store = new MemoryStateStore(clock);
    for (let index = 0; index < 10; index++) await store.set(`k${index}`, index, 1_000);
    clock.advance(61_000);
    await store.set('fresh', 1);
    expect(store.size).toBe(1);
  });
});
