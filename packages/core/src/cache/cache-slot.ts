// Caching around one request, the same for whole and streamed answers: look the answer up,
// replay it as a stream when asked to, and keep a fresh answer (a streamed one once it ended
// cleanly).
import type { ChatRequest } from '../spec/chat-request.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import type { NativeRequest } from '../spec/native-dialect.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { replayAsStream } from './replay-as-stream.ts';
import type { ResponseCache } from './response-cache.ts';
import { StreamCollector, type StreamOrigin } from './stream-collector.ts';

export interface CacheSettings {
  enabled: boolean;
  ttlSeconds: number;
}

export interface CacheSlotOptions {
  cache: ResponseCache;
  /** The config's cache settings; a route's own settings win. */
  defaults: CacheSettings;
  route: CacheSettings | undefined;
  /** The route (or model) name the request resolved to. */
  routeName: string;
  pinnedProvider: string | undefined;
  /** The API key the request came with: answers are never shared across keys. */
  keyId: string | undefined;
  request: ChatRequest;
  /** A native dialect's body: part of the key, since the vendor sees it rather than `request`. */
  native?: NativeRequest | undefined;
}

/** A stream that keeps its answer in the cache once `keep` is called after a clean end. */
export interface RecordedStream {
  events: AsyncIterable<StreamEvent>;
  keep(): void;
}

export class CacheSlot {
  private constructor(
    private readonly cache: ResponseCache,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** The request's slot, or undefined when caching is off for its route. */
  static open(options: CacheSlotOptions): CacheSlot | undefined {
    const enabled = options.route?.enabled ?? options.defaults.enabled;
    if (!enabled) return undefined;
    const ttlSeconds = options.route?.ttlSeconds ?? options.defaults.ttlSeconds;
    const { native } = options;
    const scope = cacheScope(options.routeName, options.pinnedProvider, options.keyId);
    // The native body's bytes are the answer's input for native targets: they join the key whole.
    const keyed = native
      ? Object.assign({}, options.request, {
          native_dialect: native.dialect,
          native_body: native.body,
        })
      : options.request;
    return new CacheSlot(options.cache, options.cache.keyFor(scope, keyed), ttlSeconds * 1000);
  }

  cached(): ChatResponse | undefined {
    return this.cache.get(this.key);
  }

  keep(response: ChatResponse): void {
    this.cache.set(this.key, response, this.ttlMs);
  }

  record(events: AsyncIterable<StreamEvent>, origin: StreamOrigin): RecordedStream {
    const collector = new StreamCollector(origin);
    return {
      events: collector.collect(events),
      keep: () => {
        const response = collector.response();
        if (response) this.keep(response);
      },
    };
  }
}

/** A cached answer as the stream events a client would have received. */
export function replayCached(response: ChatResponse): AsyncIterable<StreamEvent> {
  return fromArray(replayAsStream(response));
}

/**
 * Cached answers are shared per route and per API key (a hit must not tell one tenant what
 * another asked); a request pinned to a provider only shares that provider's. Without keys (an
 * open gateway) every client is the same tenant.
 */
function cacheScope(
  routeName: string,
  pinnedProvider: string | undefined,
  keyId: string | undefined,
): string {
  return [routeName, pinnedProvider ?? '', keyId === undefined ? '' : `key:${keyId}`].join(
    '\u0000',
  );
}

function fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      let index = 0;
      return {
        next: () =>
          Promise.resolve(
            index < items.length
              ? { done: false, value: items[index++] as T }
              : { done: true, value: undefined },
          ),
      };
    },
  };
}
