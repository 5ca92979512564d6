// A memory store that several components of one test share the way a fleet shares Redis: it says
// it is shared, so they take fleet-wide decisions (one half-open probe) through it.
import type { Clock } from '../../util/clock.ts';
import { MemoryStateStore } from '../memory-state-store.ts';
import type { StateStore } from '../state-store.ts';

export function sharedMemoryStore(clock: Clock): StateStore & { inner: MemoryStateStore } {
  const inner = new MemoryStateStore(clock);
  return {
    inner,
    shared: true,
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
    setIfAbsent: (key, value, ttlMs) => inner.setIfAbsent(key, value, ttlMs),
    delete: (key) => inner.delete(key),
    increment: (key, by, ttlMs) => inner.increment(key, by, ttlMs),
    subscribe: (prefix, listener) => inner.subscribe(prefix, listener),
    close: () => inner.close(),
  };
}
