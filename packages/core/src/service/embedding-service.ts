// Serving one embeddings request: plan, answer from the cache when the route caches, route it,
// and report it (metrics, the request event, cost from the input price) like a chat request.
import type { CacheSettings } from '../cache/cache-slot.ts';
import { embeddingCacheKey, type EmbeddingCache } from '../cache/embedding-cache.ts';
import type { GatewayConfig } from '../config/config-schema.ts';
import type { RequestReporter } from '../metrics/request-reporter.ts';
import type { Router } from '../routing/router.ts';
import type { PriceBook } from '../pricing/price-book.ts';
import type { ChatResponse, Usage } from '../spec/chat-response.ts';
import type { EmbeddingRequest } from '../spec/embedding-request.ts';
import type { EmbeddingResponse } from '../spec/embedding-response.ts';
import type { Clock } from '../util/clock.ts';
import type { CompletionResult } from './completion-result.ts';
import { requestStart, type RequestContext } from './request-context.ts';

export interface EmbeddingServiceParts {
  router: Router;
  reporter: RequestReporter;
  cache: EmbeddingCache;
  config: GatewayConfig;
  clock: Clock;
  prices: PriceBook;
}

export type EmbeddingResult = CompletionResult<EmbeddingResponse>;

export function embeddingUsage(response: EmbeddingResponse): Usage {
  const inputTokens = response.usage.inputTokens;
  return { inputTokens, outputTokens: 0, totalTokens: inputTokens };
}

export async function serveEmbedding(
  parts: EmbeddingServiceParts,
  request: EmbeddingRequest,
  context: RequestContext,
): Promise<EmbeddingResult> {
  const start = requestStart(context, false, parts.clock, 'embeddings');
  const options = Object.assign({}, context, {
    requestId: start.requestId,
    startedAt: start.startedAt,
  });
  try {
    const plan = parts.router.planEmbedding(request, options);
    context.trace?.routed(plan.name);
    const cacheKey = cacheKeyOf(plan.route?.cache, parts.config.cache, plan.name, request, context);
    const cached = cacheKey ? parts.cache.get(cacheKey.key) : undefined;
    if (cached) return cacheHit(parts, start, plan.name, cached);
    const { response, target, trace } = await parts.router.embed(request, options, plan);
    if (cacheKey) parts.cache.set(cacheKey.key, response, cacheKey.ttlMs);
    const usage = embeddingUsage(response);
    const outcome = parts.reporter.served(start, {
      route: plan.name,
      provider: target.provider.id,
      model: target.model,
      attempts: trace.attempts,
      cached: cacheKey !== undefined,
      usage,
      costUsd: parts.prices.costOf(target.provider, target.model, target.modelConfig, usage),
    });
    return {
      requestId: start.requestId,
      provider: target.provider.id,
      model: target.model,
      attempts: trace.attempts,
      cache: cacheKey ? 'miss' : undefined,
      output: response,
      done: Promise.resolve(outcome),
    };
  } catch (error) {
    parts.reporter.failed(error, start, request.model ?? parts.config.defaultRoute ?? 'default');
    throw error;
  }
}

function cacheKeyOf(
  route: CacheSettings | undefined,
  defaults: CacheSettings,
  routeName: string,
  request: EmbeddingRequest,
  context: RequestContext,
): { key: string; ttlMs: number } | undefined {
  if (!(route?.enabled ?? defaults.enabled)) return undefined;
  const ttlMs = (route?.ttlSeconds ?? defaults.ttlSeconds) * 1000;
  const scope =
    context.pinnedProvider === undefined
      ? routeName
      : `${routeName}\u0000${context.pinnedProvider}`;
  return { key: embeddingCacheKey(scope, request), ttlMs };
}

function cacheHit(
  parts: EmbeddingServiceParts,
  start: ReturnType<typeof requestStart>,
  route: string,
  cached: EmbeddingResponse,
): EmbeddingResult {
  // The reporter reads the served model, provider and usage of a cached answer.
  const reported: ChatResponse = {
    id: start.requestId,
    created: 0,
    model: cached.model,
    choices: [],
    usage: embeddingUsage(cached),
    ...(cached.provider !== undefined ? { provider: cached.provider } : {}),
  };
  return {
    requestId: start.requestId,
    provider: cached.provider ?? 'cache',
    model: cached.model,
    attempts: [],
    cache: 'hit',
    output: cached,
    done: Promise.resolve(parts.reporter.cacheHit(start, route, reported)),
  };
}
