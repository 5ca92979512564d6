import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestLogWriter } from './request-log-writer.ts';

describe('request log writer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function writer(options: { fail?: () => boolean; batchSize?: number } = {}) {
    const batches: number[][] = [];
    const dropped: number[] = [];
    const instance = new RequestLogWriter<number>({
      write: (rows) => {
        if (options.fail?.()) return Promise.reject(new Error('database down'));
        batches.push(rows);
        return Promise.resolve();
      },
      onDrop: (count) => dropped.push(count),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      maxBuffered: 5,
    });
    return { instance, batches, dropped };
  }

  it('writes a quiet gateway’s row within a fifth of a second, batched with its neighbours', async () => {
    const { instance, batches } = writer();
    instance.add(1);
    await vi.advanceTimersByTimeAsync(100);
    instance.add(2);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([[1, 2]]);
    instance.add(3);
    await vi.advanceTimersByTimeAsync(199);
    expect(batches).toEqual([[1, 2]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2], [3]]);
    await instance.close();
  });

  it('writes at once when a batch is full', async () => {
    const { instance, batches } = writer({ batchSize: 2 });
    instance.add(1);
    instance.add(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1, 2]]);
    await instance.close();
  });

  it('keeps rows through an outage, retries after a second, and drops beyond the bound', async () => {
    let down = true;
    const { instance, batches, dropped } = writer({ fail: () => down });
    for (const row of [1, 2, 3]) instance.add(row);
    await vi.advanceTimersByTimeAsync(200);
    expect(instance.pending).toBe(3);
    for (const row of [4, 5, 6]) instance.add(row);
    expect(dropped).toEqual([1]);
    down = false;
    await vi.advanceTimersByTimeAsync(999);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    expect(instance.droppedRows).toBe(1);
    await instance.close();
  });

  it('writes what is left on close, and schedules nothing afterwards', async () => {
    const { instance, batches } = writer();
    instance.add(1);
    await instance.close();
    expect(batches).toEqual([[1]]);
    instance.add(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(batches).toEqual([[1]]);
  });
});
