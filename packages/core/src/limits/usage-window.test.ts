import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../state/memory-state-store.ts';
import { manualClock } from '../state/test-support/manual-clock.ts';
import { UsageWindow } from './usage-window.ts';

async function flush(): Promise<void> {
  for (let index = 0; index < 5; index++) await Promise.resolve();
}

describe('UsageWindow', () => {
  it('forgets usage exactly one window after it was recorded', () => {
    const window = new UsageWindow({ windowMs: 60_000 });
    window.record(0, 5);
    window.record(20_000, 3);
    expect(window.used(59_999)).toBe(8);
    expect(window.used(60_000)).toBe(3);
    expect(window.used(80_000)).toBe(0);
  });

  it('says when an amount fits, walking through entries as they age out', () => {
    const window = new UsageWindow({ windowMs: 60_000 });
    window.record(0, 40);
    window.record(10_000, 40);
    window.record(25_000, 20);
    expect(window.waitFor(30_000, 0, 100)).toBe(0);
    expect(window.waitFor(30_000, 30, 100)).toBe(30_000);
    expect(window.waitFor(30_000, 70, 100)).toBe(40_000);
    expect(window.waitFor(30_000, 500, 100)).toBe(55_000);
  });

  it('corrects a recorded amount while it is still in the window', () => {
    const window = new UsageWindow({ windowMs: 60_000 });
    const handle = window.record(0, 1_000);
    handle.adjust(250);
    expect(window.used(1_000)).toBe(250);
    window.record(30_000, 10);
    expect(window.used(60_000)).toBe(10);
    handle.adjust(5_000);
    expect(window.used(60_000)).toBe(10);
  });

  it('counts what other instances used in the current shared window', async () => {
    const clock = manualClock(0);
    const store = new MemoryStateStore(clock);
    const first = new UsageWindow({ windowMs: 60_000, store, sharedKey: 'rpm:p1' });
    const second = new UsageWindow({ windowMs: 60_000, store, sharedKey: 'rpm:p1' });
    first.record(1_000, 1);
    first.record(2_000, 1);
    second.record(3_000, 1);
    await flush();
    expect(second.used(3_000)).toBe(3);
    expect(second.waitFor(3_000, 1, 3)).toBe(57_000);
    expect(second.used(60_000)).toBe(1);
    expect(first.used(3_000)).toBe(2);
  });
});
