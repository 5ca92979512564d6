// Where stored responses live (`store`, the default): the Response object, the request's input
// items, and the whole conversation before it, so `previous_response_id` works on every provider
// and after a failover between them. A record belongs to the key that created it. The in-memory
// store is bounded and expires records; a database store implements the same interface.
import type { Gateway } from '../../service/gateway.ts';
import type { Clock } from '../../util/clock.ts';

type JsonObject = Record<string, unknown>;

export interface StoredResponse {
  id: string;
  /** The key that created it; null on a gateway without keys. */
  keyId: string | null;
  /** Epoch ms. */
  createdAt: number;
  /**
   * The Response object as the client received it, except that a translated answer's reasoning
   * items keep their `encrypted_content` even when the client did not ask for it (follow-ups
   * by `previous_response_id` need it); reads leave it out.
   */
  response: JsonObject;
  /** This request's input items, each with an id. */
  inputItems: JsonObject[];
  /** Every item the model saw before this request's input (earlier turns, their outputs). */
  history: JsonObject[];
  /** The provider that answered natively (its id is then the vendor's), if any. */
  nativeProvider?: string | undefined;
}

export interface ResponseStore {
  get(id: string): Promise<StoredResponse | undefined>;
  put(record: StoredResponse): Promise<void>;
  /** True when a record was deleted. */
  delete(id: string): Promise<boolean>;
}

export interface MemoryResponseStoreOptions {
  /** Most records kept; the oldest go first (default 1000). */
  maxEntries?: number;
  /** How long a record lives (default 24 h). */
  ttlMs?: number;
  clock?: Pick<Clock, 'now'>;
}

export class MemoryResponseStore implements ResponseStore {
  private readonly records = new Map<string, StoredResponse>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: Pick<Clock, 'now'>;

  constructor(options: MemoryResponseStoreOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.clock = options.clock ?? Date;
  }

  get size(): number {
    return this.records.size;
  }

  get(id: string): Promise<StoredResponse | undefined> {
    const record = this.records.get(id);
    if (record && this.clock.now() - record.createdAt > this.ttlMs) {
      this.records.delete(id);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(record);
  }

  put(record: StoredResponse): Promise<void> {
    this.records.delete(record.id);
    this.records.set(record.id, record);
    while (this.records.size > this.maxEntries) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
    return Promise.resolve();
  }

  delete(id: string): Promise<boolean> {
    return Promise.resolve(this.records.delete(id));
  }
}

const stores = new WeakMap<Gateway, ResponseStore>();

/** Makes `store` the response store of a gateway (a database store, in database mode). */
export function useResponseStore(gateway: Gateway, store: ResponseStore): void {
  stores.set(gateway, store);
}

/** The gateway's response store; an in-memory one until another is set. */
export function responseStoreOf(gateway: Gateway): ResponseStore {
  let store = stores.get(gateway);
  if (!store) {
    store = new MemoryResponseStore({ clock: gateway.clock });
    stores.set(gateway, store);
  }
  return store;
}
