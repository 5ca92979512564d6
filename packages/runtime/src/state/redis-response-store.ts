// Stored Responses API answers in Redis, for file-mode gateways in multi-instance mode: core's
// ResponseStore on the state store's own connection, so `previous_response_id`, retrieve, delete
// and input_items work on whichever instance the load balancer picks. One JSON value per record,
// expiring as the in-memory store's do (file mode has no request-log retention to follow).
// Redis away is not an error: records are kept in, and read from, this instance's memory until
// Redis answers again — one warning when that starts, one line when it ends.
import type { Cluster, Redis } from 'ioredis';
import {
  MemoryResponseStore,
  parseJsonSafe,
  type ResponseStore,
  type StoredResponse,
} from '@switchyard/core';
import type { StateLog } from './redis-state.ts';

/** What the store needs of the state store: its connection and whether Redis is reachable. */
export interface RedisConnection {
  /** Commands fail fast (no offline queue) and time out quickly: see redis-state.ts. */
  readonly commands: Redis | Cluster;
  readonly reachable: boolean;
}

export interface RedisResponseStoreOptions {
  redis: RedisConnection;
  log: StateLog;
  /** How long a record lives (default 24 h, as in memory). */
  ttlMs?: number;
  /** Larger records (as JSON) are not stored, with a warning (default 8 MiB). */
  maxRecordBytes?: number;
  /** Where records go while Redis is away (default: a MemoryResponseStore with the same TTL). */
  fallback?: ResponseStore;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Above the default request-body limit (4 MiB), so one full-size request and its answer fit. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

type Outcome<T> = { ok: true; value: T } | { ok: false };

export class RedisResponseStore implements ResponseStore {
  private readonly redis: RedisConnection;
  private readonly log: StateLog;
  private readonly ttlMs: number;
  private readonly maxRecordBytes: number;
  private readonly local: ResponseStore;
  /** Whether the last command reached Redis; undefined before the first one. */
  private sharing: boolean | undefined;

  constructor(options: RedisResponseStoreOptions) {
    this.redis = options.redis;
    this.log = options.log;
    this.ttlMs = options.ttlMs ?? DAY_MS;
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
    this.local = options.fallback ?? new MemoryResponseStore({ ttlMs: this.ttlMs });
  }

  async get(id: string): Promise<StoredResponse | undefined> {
    const read = await this.attempt((redis) => redis.get(responseKey(id)));
    const shared = read.ok && read.value !== null ? toStoredResponse(read.value, id) : undefined;
    // A record written during an outage is only in this instance's memory.
    return shared ?? (await this.local.get(id));
  }

  async put(record: StoredResponse): Promise<void> {
    const json = JSON.stringify(record);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxRecordBytes) {
      this.log.warn(
        `stored response ${record.id} not kept: ${bytes} bytes is over the ${this.maxRecordBytes}-byte limit`,
      );
      return;
    }
    const written = await this.attempt((redis) =>
      redis.set(responseKey(record.id), json, 'PX', this.ttlMs),
    );
    if (!written.ok) await this.local.put(record);
  }

  async delete(id: string): Promise<boolean> {
    const removed = await this.attempt((redis) => redis.del(responseKey(id)));
    const removedLocally = await this.local.delete(id);
    return (removed.ok && removed.value > 0) || removedLocally;
  }

  /** Runs one command unless Redis is known to be away; a failure is an outcome, never thrown. */
  private async attempt<T>(command: (redis: Redis | Cluster) => Promise<T>): Promise<Outcome<T>> {
    if (!this.redis.reachable) {
      this.changeSharing(false);
      return { ok: false };
    }
    try {
      const value = await command(this.redis.commands);
      this.changeSharing(true);
      return { ok: true, value };
    } catch {
      this.changeSharing(false);
      return { ok: false };
    }
  }

  private changeSharing(up: boolean): void {
    if (this.sharing === up) return;
    const recovered = up && this.sharing === false;
    this.sharing = up;
    if (recovered) this.log.info('stored responses: kept in Redis again');
    else if (!up)
      this.log.warn(
        'stored responses: Redis unavailable; kept in this instance only until it is back',
      );
  }
}

/** One key per record; the hash tag keeps it whole on one cluster slot. */
function responseKey(id: string): string {
  return `switchyard:{response:${encodeURIComponent(id)}}`;
}

/** A record read back, or undefined when the value is not one (then it counts as missing). */
function toStoredResponse(json: string, id: string): StoredResponse | undefined {
  const value = parseJsonSafe<Partial<StoredResponse>>(json);
  if (
    typeof value !== 'object' ||
    value === null ||
    value.id !== id ||
    (value.keyId !== null && typeof value.keyId !== 'string') ||
    typeof value.createdAt !== 'number' ||
    typeof value.response !== 'object' ||
    value.response === null ||
    !Array.isArray(value.inputItems) ||
    !Array.isArray(value.history)
  )
    return undefined;
  return {
    id,
    keyId: value.keyId,
    createdAt: value.createdAt,
    response: value.response,
    inputItems: value.inputItems,
    history: value.history,
    ...(typeof value.nativeProvider === 'string' ? { nativeProvider: value.nativeProvider } : {}),
  };
}
