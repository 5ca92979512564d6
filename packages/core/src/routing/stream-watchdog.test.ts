import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../util/clock.ts';
import { TIMED_OUT } from '../util/deadline.ts';
import { StreamWatchdog } from './stream-watchdog.ts';

const after = (ms: number, value: string) =>
  new Promise<string>((resolve) => setTimeout(() => resolve(value), ms));

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('StreamWatchdog', () => {
  it('passes events through and times out a wait longer than the idle timeout', async () => {
    const watchdog = new StreamWatchdog(1000, Date.now() + 60_000, systemClock);
    const first = watchdog.wait(() => after(900, 'one'));
    await vi.advanceTimersByTimeAsync(900);
    expect(await first).toBe('one');
    const second = watchdog.wait(() => after(5000, 'two'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await second).toBe(TIMED_OUT);
    watchdog.stop();
  });

  it('does not count the time the client takes between reads as silence', async () => {
    const watchdog = new StreamWatchdog(1000, Date.now() + 60_000, systemClock);
    expect(await watchdog.wait(() => Promise.resolve('one'))).toBe('one');
    await vi.advanceTimersByTimeAsync(5000);
    const next = watchdog.wait(() => after(500, 'two'));
    await vi.advanceTimersByTimeAsync(500);
    expect(await next).toBe('two');
    watchdog.stop();
  });

  it('ends a wait at the deadline, and every wait after it at once', async () => {
    const watchdog = new StreamWatchdog(10_000, Date.now() + 1500, systemClock);
    const wait = watchdog.wait(() => after(5000, 'late'));
    await vi.advanceTimersByTimeAsync(1500);
    expect(await wait).toBe(TIMED_OUT);
    expect(await watchdog.wait(() => Promise.resolve('more'))).toBe(TIMED_OUT);
    watchdog.stop();
  });
});
