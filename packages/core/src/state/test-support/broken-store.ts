// A StateStore whose every operation fails, as a shared store does while it is unreachable.
import type { StateStore } from '../state-store.ts';

export function brokenStore(): StateStore {
  const down = () => Promise.reject(new Error('store unreachable'));
  return {
    get: down,
    set: down,
    setIfAbsent: down,
    delete: down,
    increment: down,
    subscribe: () => () => undefined,
    close: () => Promise.resolve(),
  };
}

/** Runs `body` and returns the unhandled rejections seen meanwhile (and shortly after). */
export async function collectUnhandledRejections(
  body: () => Promise<void> | void,
): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}
