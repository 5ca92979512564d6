import { describe, expect, it, vi } from 'vitest';
import { writeInBackground } from './state-store.ts';

describe('writeInBackground', () => {
  it('hands the result to the callback', async () => {
    const onResult = vi.fn();
    writeInBackground(() => Promise.resolve(7), onResult);
    await Promise.resolve();
    await Promise.resolve();
    expect(onResult).toHaveBeenCalledWith(7);
  });

  it('swallows rejections, synchronous throws and callback errors', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      writeInBackground(() => Promise.reject(new Error('redis down')));
      writeInBackground(() => {
        throw new Error('not connected');
      });
      writeInBackground(
        () => Promise.resolve(1),
        () => {
          throw new Error('handler bug');
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
