// Round-robin positions per route. One instance counts them itself. A fleet on a shared store
// takes them from one counter per route (an atomic increment), so instances taking turns spread
// requests over the targets as one instance would. The request path never waits for the store:
// each instance holds a few positions reserved ahead and tops them up in the background.
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { StateStore } from './state-store.ts';

/** Positions each instance holds ahead per route: a burst beyond them continues locally. */
const RESERVED_AHEAD = 4;
/** A route's counter restarts after this long; positions only matter relative to each other. */
const COUNTER_TTL_MS = 24 * 3_600_000;
/**
 * After a failed reservation (store away, or not connected yet) requests stop asking for this
 * long; a timer asks meanwhile, so sharing resumes this soon after the store answers again.
 */
const RETRY_AFTER_FAILURE_MS = 250;
const STORE_PREFIX = 'cursor:';

interface RouteCursor {
  /** Fleet positions reserved for this instance, in the order the store gave them. */
  reserved: number[];
  /** Reservations in flight. */
  pending: number;
  /** The position after the last one used: the next one when nothing is reserved. */
  local: number;
  failedAt: number | undefined;
}

export interface RouteCursorsOptions {
  /** Positions are the fleet's only when this store is shared; otherwise they are counted here. */
  store?: StateStore | undefined;
  clock?: Clock | undefined;
}

export class RouteCursors {
  private readonly store: StateStore | undefined;
  private readonly clock: Clock;
  private readonly routes = new Map<string, RouteCursor>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(options: RouteCursorsOptions = {}) {
    this.store = options.store?.shared === true ? options.store : undefined;
    this.clock = options.clock ?? systemClock;
  }

  /** The position for this request of a round-robin route; the next request gets the next one. */
  next(route: string): number {
    const cursor = this.cursorOf(route);
    const position = cursor.reserved.shift() ?? cursor.local;
    cursor.local = position + 1;
    this.reserve(route, cursor);
    return position;
  }

  /** The position the next request would get, without moving on. */
  current(route: string): number {
    const cursor = this.routes.get(route);
    return cursor?.reserved[0] ?? cursor?.local ?? 0;
  }

  /** Reserves positions ahead for these routes, so their first requests already share the count. */
  prepare(routes: Iterable<string>): void {
    for (const route of routes) this.reserve(route, this.cursorOf(route));
  }

  private cursorOf(route: string): RouteCursor {
    let cursor = this.routes.get(route);
    if (cursor === undefined) {
      cursor = { reserved: [], pending: 0, local: 0, failedAt: undefined };
      this.routes.set(route, cursor);
    }
    return cursor;
  }

  /** Stops retrying reservations. */
  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private reserve(route: string, cursor: RouteCursor, retrying = false): void {
    const store = this.store;
    if (store === undefined) return;
    const { failedAt } = cursor;
    const backingOff =
      failedAt !== undefined && this.clock.now() - failedAt < RETRY_AFTER_FAILURE_MS;
    if (backingOff && !retrying) return;
    const key = STORE_PREFIX + encodeURIComponent(route);
    while (cursor.reserved.length + cursor.pending < RESERVED_AHEAD) {
      cursor.pending++;
      let counted: Promise<number>;
      try {
        counted = store.increment(key, 1, COUNTER_TTL_MS);
      } catch (error) {
        counted = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      counted.then(
        (count) => {
          cursor.pending--;
          cursor.failedAt = undefined;
          // The counter counts from 1; positions from 0.
          cursor.reserved.push(count - 1);
        },
        () => {
          cursor.pending--;
          cursor.failedAt = this.clock.now();
          this.retryLater();
        },
      );
    }
  }

  private retryLater(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      for (const [route, cursor] of this.routes) this.reserve(route, cursor, true);
    }, RETRY_AFTER_FAILURE_MS);
    this.retryTimer.unref?.();
  }
}
