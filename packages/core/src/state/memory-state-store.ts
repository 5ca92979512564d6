// The single-instance StateStore: a Map with lazy expiry on the injected clock.
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { StateStore } from './state-store.ts';

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

interface Subscription {
  prefix: string;
  listener: (key: string, value: unknown) => void;
}

/** Expired entries are dropped on read, and in a sweep at most this often so unread ones do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

export class MemoryStateStore implements StateStore {
  private readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();
  private subscriptions: Subscription[] = [];
  private nextSweepAt: number;

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
    this.nextSweepAt = clock.now() + SWEEP_INTERVAL_MS;
  }

  get<T>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    // Values are copied in and out, as a networked store would serialise them, so no caller
    // can change stored state by mutating an object it passed or received.
    return Promise.resolve(entry === undefined ? undefined : (structuredClone(entry.value) as T));
  }

  set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    try {
      this.sweepIfDue();
      if (ttlMs !== undefined && ttlMs <= 0) {
        this.entries.delete(key);
      } else {
        this.entries.set(key, {
          value: structuredClone(value),
          expiresAt: ttlMs === undefined ? undefined : this.clock.now() + ttlMs,
        });
      }
      this.publish(key, value);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    this.sweepIfDue();
    if (this.live(key) !== undefined) return Promise.resolve(false);
    this.entries.set(key, { value: structuredClone(value), expiresAt: this.clock.now() + ttlMs });
    return Promise.resolve(true);
  }

  delete(key: string): Promise<void> {
    const existed = this.entries.delete(key);
    if (existed) this.publish(key, undefined);
    return Promise.resolve();
  }

  increment(key: string, by: number, ttlMs: number): Promise<number> {
    this.sweepIfDue();
    const entry = this.live(key);
    if (entry === undefined) {
      this.entries.set(key, { value: by, expiresAt: this.clock.now() + ttlMs });
      return Promise.resolve(by);
    }
    if (typeof entry.value !== 'number') {
      return Promise.reject(new TypeError(`State key ${key} does not hold a counter`));
    }
    entry.value += by;
    return Promise.resolve(entry.value);
  }

  subscribe(prefix: string, listener: (key: string, value: unknown) => void): () => void {
    const subscription: Subscription = { prefix, listener };
    this.subscriptions.push(subscription);
    return () => {
      this.subscriptions = this.subscriptions.filter((candidate) => candidate !== subscription);
    };
  }

  close(): Promise<void> {
    this.subscriptions = [];
    this.entries.clear();
    return Promise.resolve();
  }

  /** Number of live entries (expired ones are not counted). */
  get size(): number {
    let count = 0;
    for (const key of this.entries.keys()) if (this.live(key) !== undefined) count++;
    return count;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweepIfDue(): void {
    const now = this.clock.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entries.delete(key);
    }
  }

  /** Delete is published as `undefined`, so subscribers can drop what they mirrored. */
  private publish(key: string, value: unknown): void {
    for (const { prefix, listener } of this.subscriptions) {
      if (!key.startsWith(prefix)) continue;
      try {
        listener(key, value === undefined ? undefined : structuredClone(value));
      } catch {
        // One subscriber's bug must not fail the write for everyone else.
      }
    }
  }
}
