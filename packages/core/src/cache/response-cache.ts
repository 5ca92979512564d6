// The exact-match response cache: LRU with a TTL per entry, opt-in per route. Reads are local
// and synchronous; with a shared store, entries set by other instances arrive by subscription,
// and `lookup` also asks the store directly.
import type { ChatRequest } from '../spec/chat-request.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import type { StateStore } from '../state/state-store.ts';
import { newInstanceId, writeInBackground } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { cacheKeyFor } from './cache-key.ts';

export interface ResponseCacheOptions {
  maxEntries: number;
  clock?: Clock;
  store?: StateStore;
}

interface CacheEntry {
  response: ChatResponse;
  expiresAt: number;
}

interface SharedCacheEntry {
  origin: string;
  response: ChatResponse;
  expiresAt: number;
}

const STORE_PREFIX = 'cache:';

function isSharedCacheEntry(value: unknown): value is SharedCacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SharedCacheEntry>;
  return (
    typeof record.origin === 'string' &&
    typeof record.expiresAt === 'number' &&
    typeof record.response === 'object' &&
    record.response !== null &&
    Array.isArray(record.response.choices)
  );
}

/**
 * Whether a response may be replayed to someone else: every choice ended normally, and nothing
 * (a refusal) would be lost by a streamed replay.
 */
export function isCacheableResponse(response: ChatResponse): boolean {
  return (
    response.choices.length > 0 &&
    response.choices.every(
      (choice) =>
        (choice.finishReason.unified === 'stop' ||
          choice.finishReason.unified === 'length' ||
          choice.finishReason.unified === 'tool_calls') &&
        !choice.message.refusal,
    )
  );
}

export class ResponseCache {
  private readonly maxEntries: number;
  private readonly clock: Clock;
  private readonly store: StateStore | undefined;
  private readonly instanceId = newInstanceId();
  /** Map order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, CacheEntry>();
  private readonly unsubscribe: (() => void) | undefined;

  constructor(options: ResponseCacheOptions) {
    this.maxEntries = Math.max(0, Math.floor(options.maxEntries));
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
    this.unsubscribe = this.store?.subscribe(STORE_PREFIX, (key, value) => {
      if (isSharedCacheEntry(value) && value.origin !== this.instanceId) {
        this.insert(key.slice(STORE_PREFIX.length), value.response, value.expiresAt);
      }
    });
  }

  /**
   * Stable key of the normalised request: route name plus every field that changes the answer,
   * excluding stream, stream_options, user and metadata; key order in objects does not matter.
   */
  keyFor(routeName: string, request: ChatRequest): string {
    return cacheKeyFor(routeName, request);
  }

  /** A copy of the cached response (LRU touch); expired entries are misses and removed. */
  get(key: string): ChatResponse | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now()) return undefined;
    this.entries.set(key, entry);
    return structuredClone(entry.response);
  }

  /** `get`, falling back to the shared store when this instance has no entry. */
  async lookup(key: string): Promise<ChatResponse | undefined> {
    const local = this.get(key);
    if (local !== undefined || this.store === undefined) return local;
    let shared: unknown;
    try {
      shared = await this.store.get<unknown>(STORE_PREFIX + key);
    } catch {
      return undefined;
    }
    if (!isSharedCacheEntry(shared) || shared.expiresAt <= this.clock.now()) return undefined;
    this.insert(key, shared.response, shared.expiresAt);
    return structuredClone(shared.response);
  }

  set(key: string, response: ChatResponse, ttlMs: number): void {
    if (ttlMs <= 0 || this.maxEntries === 0) return;
    const expiresAt = this.clock.now() + ttlMs;
    const stored = structuredClone(response);
    this.insert(key, stored, expiresAt);
    const store = this.store;
    if (store === undefined) return;
    const shared: SharedCacheEntry = { origin: this.instanceId, response: stored, expiresAt };
    writeInBackground(() => store.set(STORE_PREFIX + key, shared, ttlMs));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Empties this instance's cache (entries in a shared store expire by their TTL). */
  clear(): void {
    this.entries.clear();
  }

  /** Stops following entries other instances add. */
  close(): void {
    this.unsubscribe?.();
  }

  private insert(key: string, response: ChatResponse, expiresAt: number): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { response, expiresAt });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
