// Shared state behind circuit breakers, health, limits and the cache. Routing reads local
// in-memory state synchronously; writes go through a StateStore, which in single-instance mode
// applies them at once and in multi-instance mode (Redis) also publishes them to the others.
import { randomUUID } from 'node:crypto';

export interface StateStore {
  /**
   * True when other instances read and write the same state (Redis): components then take
   * fleet-wide decisions, such as one half-open probe, through the store instead of locally.
   */
  readonly shared?: boolean;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /**
   * Sets the key only when it holds nothing (a lease: SET NX PX); true when this call set it.
   * Not published to subscribers.
   */
  setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Atomically adds `by` to a counter that expires `ttlMs` after creation; returns the new value. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  /**
   * Subscribe to values other instances set under a key prefix (the memory store calls back for
   * its own sets). A delete arrives as `undefined`. Returns an unsubscribe function.
   */
  subscribe(prefix: string, listener: (key: string, value: unknown) => void): () => void;
  close(): Promise<void>;
}

/**
 * Runs a store write without making the caller wait: state is already applied locally, so a
 * failing shared store (Redis down) must degrade to single-instance behaviour, never to an
 * unhandled rejection.
 */
export function writeInBackground<T>(
  write: () => Promise<T>,
  onResult?: (result: T) => void,
): void {
  let pending: Promise<T>;
  try {
    pending = write();
  } catch {
    return;
  }
  pending.then(
    (result) => {
      try {
        onResult?.(result);
      } catch {
        // A failing result handler must not turn into an unhandled rejection either.
      }
    },
    () => undefined,
  );
}

/** A random id for one component instance, so a store subscriber can tell its own writes from others'. */
export function newInstanceId(): string {
  return randomUUID();
}
