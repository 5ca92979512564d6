import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { raceDeadline, TIMED_OUT } from './deadline.ts';

describe('raceDeadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('settles with the value when the work finishes first', async () => {
    const onTimeout = vi.fn();
    const result = raceDeadline(Promise.resolve('done'), 100, onTimeout);
    await expect(result).resolves.toBe('done');
    await vi.advanceTimersByTimeAsync(200);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('calls onTimeout and settles with TIMED_OUT exactly at the deadline', async () => {
    const onTimeout = vi.fn();
    const result = raceDeadline(new Promise<string>(() => undefined), 100, onTimeout);
    await vi.advanceTimersByTimeAsync(99);
    expect(onTimeout).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onTimeout).toHaveBeenCalledOnce();
    await expect(result).resolves.toBe(TIMED_OUT);
  });

  it('passes on the work’s rejection and handles a late one from the loser', async () => {
    await expect(raceDeadline(Promise.reject(new Error('boom')), 100)).rejects.toThrow('boom');
    let fail: (error: Error) => void = () => undefined;
    const late = new Promise<string>((_, reject) => {
      fail = reject;
    });
    const result = raceDeadline(late, 10, () => fail(new Error('aborted')));
    const rejected = expect(result).rejects.toThrow('aborted');
    await vi.advanceTimersByTimeAsync(10);
    await rejected;
  });

  it('rejects with the signal’s reason when it aborts first, or already has', async () => {
    const controller = new AbortController();
    const result = raceDeadline(new Promise<string>(() => undefined), 100, undefined, {
      signal: controller.signal,
    });
    controller.abort(new Error('cancelled'));
    await expect(result).rejects.toThrow('cancelled');
    const already = raceDeadline(new Promise<string>(() => undefined), 100, undefined, {
      signal: AbortSignal.abort(new Error('gone')),
    });
    await expect(already).rejects.toThrow('gone');
  });
});
