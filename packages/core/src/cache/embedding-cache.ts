// The exact-match cache for embeddings: LRU with a TTL per entry, opt-in per route (the same
// settings as chat), keyed on the route and the normalised request.
import { createHash } from 'node:crypto';
import type { EmbeddingRequest } from '../spec/embedding-request.ts';
import type { EmbeddingResponse } from '../spec/embedding-response.ts';
import type { Clock } from '../util/clock.ts';
import { canonicalJson } from './cache-key.ts';

interface Entry {
  response: EmbeddingResponse;
  expiresAt: number;
}

/** The key of a request on a route: inputs, model and dimensions count, `user` does not. */
export function embeddingCacheKey(scope: string, request: EmbeddingRequest): string {
  const normalised = {
    model: request.model ?? null,
    inputs: request.inputs,
    dimensions: request.dimensions ?? null,
  };
  return createHash('sha256')
    .update(canonicalJson({ route: scope, embeddings: normalised }))
    .digest('hex');
}

export class EmbeddingCache {
  /** Map order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly clock: Clock,
  ) {}

  get(key: string): EmbeddingResponse | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now()) return undefined;
    this.entries.set(key, entry);
    return structuredClone(entry.response);
  }

  set(key: string, response: EmbeddingResponse, ttlMs: number): void {
    if (ttlMs <= 0 || this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, {
      response: structuredClone(response),
      expiresAt: this.clock.now() + ttlMs,
    });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
