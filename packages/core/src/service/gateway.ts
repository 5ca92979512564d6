// The gateway engine: one object that owns a config's adapters, router, health monitor,
// circuit breakers, limits, cache, metrics and events, and serves requests through them.
// The HTTP handler, the tRPC API and the seed-compatible InferenceService all sit on this.
import { randomUUID } from 'node:crypto';
import { createAdapter } from '../config/provider-registry.ts';
import type {
  GatewayConfig,
  ProviderConfig,
  RouteConfig,
  Strategy,
} from '../config/config-schema.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import { GatewayError, UpstreamError } from '../spec/errors.ts';
import type {
  AdapterRegistry,
  ModelInfo,
  ProbeResult,
  ProviderAdapter,
} from '../spec/provider-adapter.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { expandOpenAIChunk as expandChunk } from '../spec/openai-chunk.ts';
import { replayAsStream, ResponseCache } from '../cache/index.ts';
import { KeyLimiter, ProviderLimiter } from '../limits/index.ts';
import { GatewayEvents, GatewayMetrics, type RequestOutcome } from '../metrics/index.ts';
import {
  CircuitBreakers,
  HealthMonitor,
  type CircuitState,
  type HealthStatus,
} from '../resilience/index.ts';
import { MemoryStateStore, type StateStore } from '../state/index.ts';
import {
  Router,
  type RouteOptions,
  type RouteTrace,
  type RoutedStream,
} from '../routing/router.ts';
import type { DefaultProviderMode, Target } from '../routing/routing-table.ts';
import { costOf } from '../routing/usage-estimate.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { systemRandom, type RandomSource } from '../util/random.ts';

export interface GatewayOptions {
  config: GatewayConfig;
  adapters: AdapterRegistry;
  clock?: Clock;
  random?: RandomSource;
  store?: StateStore;
  metrics?: GatewayMetrics;
  events?: GatewayEvents;
  /** Start the health monitor when the config enables it (default true). */
  monitorHealth?: boolean;
}

export interface RequestContext {
  requestId?: string;
  keyId?: string;
  signal?: AbortSignal;
  strategy?: Strategy;
  pinnedProvider?: string;
  defaultProvider?: DefaultProviderMode;
  autoFallback?: boolean;
  startedAt?: number;
}

export interface CompletionResult {
  response: ChatResponse;
  requestId: string;
  provider: string;
  model: string;
  attempts: RouteTrace['attempts'];
  cache: 'hit' | 'miss' | undefined;
  costUsd: number | undefined;
  latencyMs: number;
}

export interface StreamResult {
  requestId: string;
  provider: string;
  model: string;
  attempts: RouteTrace['attempts'];
  cache: 'hit' | 'miss' | undefined;
  events: AsyncIterable<StreamEvent>;
  /** Settles after the stream ended; never rejects. */
  done: Promise<RequestOutcome>;
}

export interface ProviderHealthView extends HealthStatus {
  name: string;
  type: string;
  enabled: boolean;
  circuit: CircuitState;
}

export interface ProviderTestResult {
  providerId: string;
  ok: boolean;
  latencyMs?: number;
  check?: string;
  error?: string;
}

export class Gateway {
  readonly events: GatewayEvents;
  readonly metrics: GatewayMetrics;
  readonly circuits: CircuitBreakers;
  readonly health: HealthMonitor;
  readonly providerLimiter: ProviderLimiter;
  readonly keyLimiter: KeyLimiter;
  readonly clock: Clock;
  private config: GatewayConfig;
  /** The provider definitions adapters are built with (and configs parsed against). */
  readonly registry: AdapterRegistry;
  private adapters = new Map<string, { adapter: ProviderAdapter; signature: string }>();
  private readonly router: Router;
  private cache: ResponseCache;
  private readonly store: StateStore;
  private readonly monitorHealth: boolean;

  constructor(options: GatewayOptions) {
    this.config = options.config;
    this.registry = options.adapters;
    this.clock = options.clock ?? systemClock;
    const random = options.random ?? systemRandom;
    this.store = options.store ?? new MemoryStateStore(this.clock);
    this.events = options.events ?? new GatewayEvents();
    this.metrics = options.metrics ?? new GatewayMetrics();
    this.monitorHealth = options.monitorHealth ?? true;
    this.circuits = new CircuitBreakers({
      settings: this.config.circuitBreaker ?? {},
      clock: this.clock,
      store: this.store,
      events: this.events,
      metrics: this.metrics,
    });
    this.health = new HealthMonitor({
      intervalMs: this.config.healthCheckInterval,
      ...(this.config.healthCheck ? { defaultHealthCheck: this.config.healthCheck } : {}),
      clock: this.clock,
      random,
      events: this.events,
      metrics: this.metrics,
      store: this.store,
    });
    this.providerLimiter = new ProviderLimiter({ clock: this.clock, store: this.store });
    this.keyLimiter = new KeyLimiter({ clock: this.clock, store: this.store });
    this.cache = new ResponseCache({
      maxEntries: this.config.cache.maxEntries,
      clock: this.clock,
      store: this.store,
    });
    this.syncAdapters();
    this.router = new Router(this.config, {
      adapters: this.adapterMap(),
      circuits: this.circuits,
      health: this.health,
      limiter: this.providerLimiter,
      events: this.events,
      metrics: this.metrics,
      clock: this.clock,
      random,
    });
    this.syncHealthTargets();
  }

  get currentConfig(): GatewayConfig {
    return this.config;
  }

  /** The route of that name, from the routing table built at config load. */
  route(name: string): RouteConfig | undefined {
    return this.router.routing.routes.get(name);
  }

  /** Model names clients may send: routes and providers' public model names. */
  modelNames(): string[] {
    return this.router.routing.modelNames();
  }

  /** Applies a new config without dropping state: unchanged providers keep their adapters, health and circuits. */
  updateConfig(config: GatewayConfig): void {
    const cacheSizeChanged = config.cache.maxEntries !== this.config.cache.maxEntries;
    this.config = config;
    this.circuits.configure(config.circuitBreaker ?? {});
    if (cacheSizeChanged)
      this.cache = new ResponseCache({
        maxEntries: config.cache.maxEntries,
        clock: this.clock,
        store: this.store,
      });
    this.syncAdapters();
    this.router.update(config, this.adapterMap());
    this.syncHealthTargets();
  }

  async complete(request: ChatRequest, context: RequestContext = {}): Promise<CompletionResult> {
    const startedAt = context.startedAt ?? this.clock.now();
    const requestId = context.requestId ?? randomUUID();
    const options = this.routeOptions(context, requestId, startedAt);
    let trace: RouteTrace | undefined;
    try {
      const plan = this.router.plan(request, options);
      const cacheTtl = this.cacheTtlMs(plan.route?.cache);
      const cacheKey =
        cacheTtl !== undefined
          ? this.cache.keyFor(cacheScope(plan.name, context.pinnedProvider), request)
          : undefined;
      const cached = cacheKey !== undefined ? this.cache.get(cacheKey) : undefined;
      if (cached) {
        const latencyMs = this.clock.now() - startedAt;
        this.report({
          requestId,
          startedAt,
          status: 200,
          stream: false,
          attempts: 0,
          latencyMs,
          route: plan.name,
          provider: cached.provider,
          model: cached.model,
          cache: 'hit',
          ...(context.keyId ? { keyId: context.keyId } : {}),
          ...usageFields(cached.usage),
        });
        return {
          response: cached,
          requestId,
          provider: cached.provider ?? 'cache',
          model: cached.model,
          attempts: [],
          cache: 'hit',
          costUsd: 0,
          latencyMs,
        };
      }
      const routed = await this.router.complete(request, options, plan);
      trace = routed.trace;
      const costUsd = costOf(routed.target.modelConfig, routed.response.usage);
      if (cacheKey !== undefined && cacheTtl !== undefined)
        this.cache.set(cacheKey, routed.response, cacheTtl);
      const latencyMs = this.clock.now() - startedAt;
      this.report(
        {
          requestId,
          startedAt,
          status: 200,
          stream: false,
          attempts: countAttempts(trace),
          latencyMs,
          route: plan.name,
          provider: routed.target.provider.id,
          model: routed.target.model,
          ...(cacheKey !== undefined ? { cache: 'miss' as const } : {}),
          ...(context.keyId ? { keyId: context.keyId } : {}),
          ...usageFields(routed.response.usage),
          ...(costUsd !== undefined ? { costUsd } : {}),
        },
        trace,
      );
      return {
        response: routed.response,
        requestId,
        provider: routed.target.provider.id,
        model: routed.target.model,
        attempts: trace.attempts,
        cache: cacheKey !== undefined ? 'miss' : undefined,
        costUsd,
        latencyMs,
      };
    } catch (error) {
      this.reportFailure(error, {
        requestId,
        startedAt,
        stream: false,
        ...(context.keyId ? { keyId: context.keyId } : {}),
        route: request.model ?? this.config.defaultRoute ?? 'default',
      });
      throw error;
    }
  }

  async stream(request: ChatRequest, context: RequestContext = {}): Promise<StreamResult> {
    const startedAt = context.startedAt ?? this.clock.now();
    const requestId = context.requestId ?? randomUUID();
    const options = this.routeOptions(context, requestId, startedAt);
    const base = {
      requestId,
      startedAt,
      stream: true,
      ...(context.keyId ? { keyId: context.keyId } : {}),
    };
    try {
      const plan = this.router.plan(request, options);
      const cacheTtl = this.cacheTtlMs(plan.route?.cache);
      const cacheKey =
        cacheTtl !== undefined
          ? this.cache.keyFor(cacheScope(plan.name, context.pinnedProvider), request)
          : undefined;
      const cached = cacheKey !== undefined ? this.cache.get(cacheKey) : undefined;
      if (cached) {
        const outcome: RequestOutcome = {
          ...base,
          status: 200,
          attempts: 0,
          latencyMs: this.clock.now() - startedAt,
          route: plan.name,
          provider: cached.provider,
          model: cached.model,
          cache: 'hit',
          firstTokenMs: 0,
          ...usageFields(cached.usage),
        };
        this.report(outcome);
        return {
          requestId,
          provider: cached.provider ?? 'cache',
          model: cached.model,
          attempts: [],
          cache: 'hit',
          events: toAsync(replayAsStream(cached)),
          done: Promise.resolve(outcome),
        };
      }
      const routed = await this.router.stream(request, options, plan);
      const collector =
        cacheKey !== undefined && cacheTtl !== undefined ? new StreamCollector(routed) : undefined;
      const done = routed.done.then((summary) => {
        const failed = summary.error !== undefined;
        const costUsd = costOf(routed.target.modelConfig, summary.usage);
        const outcome: RequestOutcome = {
          ...base,
          status: failed ? 502 : 200,
          attempts: countAttempts(routed.trace),
          latencyMs: this.clock.now() - startedAt,
          route: plan.name,
          provider: routed.target.provider.id,
          model: routed.target.model,
          ...(routed.firstTokenAt !== undefined
            ? { firstTokenMs: routed.firstTokenAt - startedAt }
            : {}),
          ...usageFields(summary.usage),
          ...(costUsd !== undefined ? { costUsd } : {}),
          ...(cacheKey !== undefined ? { cache: 'miss' as const } : {}),
          ...(summary.error
            ? { errorKind: summary.error.kind, errorMessage: summary.error.message }
            : {}),
        };
        this.report(outcome, routed.trace);
        if (!failed && collector && cacheTtl !== undefined && cacheKey !== undefined) {
          const response = collector.response();
          if (response) this.cache.set(cacheKey, response, cacheTtl);
        }
        return outcome;
      });
      return {
        requestId,
        provider: routed.target.provider.id,
        model: routed.target.model,
        attempts: routed.trace.attempts,
        cache: cacheKey !== undefined ? 'miss' : undefined,
        events: collector ? collector.events() : routed.events,
        done,
      };
    } catch (error) {
      this.reportFailure(error, {
        ...base,
        route: request.model ?? this.config.defaultRoute ?? 'default',
      });
      throw error;
    }
  }

  /** Runs a provider's health check now (the seed's testProvider). */
  async testProvider(providerId: string): Promise<ProviderTestResult> {
    const provider = this.provider(providerId);
    const status = await this.health.check(provider.id);
    return {
      providerId,
      ok: status.isHealthy,
      ...(status.responseTime !== undefined ? { latencyMs: status.responseTime } : {}),
      ...(status.error !== undefined ? { error: status.error } : {}),
    };
  }

  /** Calls the adapter's probe directly, bypassing health state (the dashboard's Test button). */
  async probeProvider(providerId: string, timeoutMs = 10_000): Promise<ProbeResult> {
    const adapter = this.adapterFor(providerId);
    return adapter.probe({
      signal: AbortSignal.timeout(timeoutMs),
      deadline: this.clock.now() + timeoutMs,
    });
  }

  async listProviderModels(providerId: string, timeoutMs = 10_000): Promise<ModelInfo[]> {
    const adapter = this.adapterFor(providerId);
    return adapter.listModels({
      signal: AbortSignal.timeout(timeoutMs),
      deadline: this.clock.now() + timeoutMs,
    });
  }

  providerHealth(): ProviderHealthView[] {
    return this.config.providers.map((provider) => ({
      ...this.health.status(provider.id),
      providerId: provider.id,
      name: provider.name,
      type: provider.type,
      enabled: provider.enabled,
      circuit: this.circuits.state(provider.id),
    }));
  }

  async close(): Promise<void> {
    this.health.stop();
    const adapters = [...this.adapters.values()];
    this.adapters.clear();
    await Promise.all(adapters.map(({ adapter }) => adapter.close?.() ?? Promise.resolve()));
    await this.store.close();
  }

  private provider(providerId: string): ProviderConfig {
    const provider = this.config.providers.find((candidate) => candidate.id === providerId);
    if (!provider)
      throw new GatewayError({
        status: 404,
        type: 'not_found_error',
        code: 'provider_not_found',
        message: `Unknown provider "${providerId}"`,
      });
    return provider;
  }

  private adapterFor(providerId: string): ProviderAdapter {
    const provider = this.provider(providerId);
    const entry = this.adapters.get(provider.id);
    if (!entry)
      throw new UpstreamError({
        kind: 'bad_request',
        message: `No adapter is available for provider type "${provider.type}"`,
        provider: provider.id,
        retryable: false,
      });
    return entry.adapter;
  }

  private routeOptions(
    context: RequestContext,
    requestId: string,
    startedAt: number,
  ): RouteOptions {
    return {
      requestId,
      startedAt,
      signal: context.signal,
      strategy: context.strategy,
      pinnedProvider: context.pinnedProvider,
      defaultProvider: context.defaultProvider,
      autoFallback: context.autoFallback,
    };
  }

  private cacheTtlMs(
    routeCache: { enabled: boolean; ttlSeconds: number } | undefined,
  ): number | undefined {
    const enabled = routeCache?.enabled ?? this.config.cache.enabled;
    if (!enabled) return undefined;
    return (routeCache?.ttlSeconds ?? this.config.cache.ttlSeconds) * 1000;
  }

  private report(outcome: RequestOutcome, trace?: RouteTrace): void {
    if (trace) {
      for (const attempt of trace.attempts)
        if (
          attempt.outcome === 'error' &&
          trace.target &&
          attempt.provider !== trace.target.provider.id
        )
          this.metrics.countFallback(attempt.provider, trace.target.provider.id);
    }
    this.metrics.observeRequest(outcome);
    this.events.emit('request', trace ? { ...outcome, attemptTrail: trace.attempts } : outcome);
  }

  private reportFailure(
    error: unknown,
    base: Omit<RequestOutcome, 'status' | 'attempts' | 'latencyMs'>,
  ): void {
    const status = error instanceof GatewayError ? error.status : 500;
    const attempts = error instanceof GatewayError ? error.attempts : [];
    const kind = error instanceof GatewayError ? error.code : 'internal_error';
    const outcome: RequestOutcome = {
      ...base,
      status,
      attempts: attempts.filter((attempt) => attempt.outcome !== 'skipped').length,
      latencyMs: this.clock.now() - base.startedAt,
      errorKind: kind,
      errorMessage: error instanceof Error ? error.message : String(error),
    };
    const last = attempts.filter((attempt) => attempt.outcome !== 'skipped').at(-1);
    if (last) {
      outcome.provider = last.provider;
      outcome.model = last.model;
    }
    this.metrics.observeRequest(outcome);
    this.events.emit('request', { ...outcome, attemptTrail: attempts });
  }

  private syncAdapters(): void {
    const next = new Map<string, { adapter: ProviderAdapter; signature: string }>();
    for (const provider of this.config.providers) {
      const signature = JSON.stringify(provider);
      const existing = this.adapters.get(provider.id);
      if (existing && existing.signature === signature) {
        next.set(provider.id, existing);
        continue;
      }
      const adapter = createAdapter(this.registry, provider);
      if (adapter) next.set(provider.id, { adapter, signature });
    }
    for (const [id, entry] of this.adapters) {
      if (next.get(id) !== entry) void entry.adapter.close?.().catch(() => undefined);
    }
    this.adapters = next;
  }

  private adapterMap(): Map<string, ProviderAdapter> {
    return new Map([...this.adapters].map(([id, entry]) => [id, entry.adapter]));
  }

  private syncHealthTargets(): void {
    this.health.setTargets(
      this.config.providers
        .filter((provider) => provider.enabled)
        .map((provider) => {
          const adapter = this.adapters.get(provider.id)?.adapter;
          const healthCheck = provider.healthCheck ?? this.config.healthCheck;
          return {
            providerId: provider.id,
            ...(provider.endpoint ? { endpoint: provider.endpoint } : {}),
            ...(healthCheck ? { healthCheck } : {}),
            ...(adapter
              ? {
                  probe: (options: Parameters<ProviderAdapter['probe']>[0]) =>
                    adapter.probe(options),
                }
              : {}),
          };
        }),
    );
    if (this.monitorHealth && this.config.enableHealthMonitoring) this.health.start();
    else this.health.stop();
  }
}

function countAttempts(trace: RouteTrace): number {
  return trace.attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
}

function usageFields(usage: ChatResponse['usage']): {
  inputTokens?: number;
  outputTokens?: number;
} {
  return usage ? { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } : {};
}

function toAsync<T>(items: readonly T[]): AsyncIterable<T> {
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

/** Rebuilds a ChatResponse from a stream's events so a streamed answer can be cached too. */
class StreamCollector {
  private text = '';
  private readonly toolCalls: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }> = [];
  private finish: ChatResponse['choices'][number]['finishReason'] | undefined;
  private usage: ChatResponse['usage'];
  private id = '';
  private created = 0;
  private unsupported = false;

  constructor(private readonly routed: RoutedStream) {}

  async *events(): AsyncGenerator<StreamEvent> {
    for await (const event of this.routed.events) {
      this.note(event);
      yield event;
    }
  }

  response(): ChatResponse | undefined {
    if (this.unsupported || !this.finish) return undefined;
    return {
      id: this.id || `chatcmpl-${randomUUID()}`,
      created: this.created || Math.floor(Date.now() / 1000),
      model: this.routed.target.model,
      provider: this.routed.target.provider.id,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: this.toolCalls.length > 0 && this.text === '' ? null : this.text,
            ...(this.toolCalls.length > 0 ? { tool_calls: this.toolCalls } : {}),
          },
          finishReason: this.finish,
        },
      ],
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }

  private note(event: StreamEvent): void {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.created = event.created;
        break;
      case 'text-delta':
        if (event.choiceIndex !== 0) this.unsupported = true;
        this.text += event.text;
        break;
      case 'tool-call-delta': {
        const call = (this.toolCalls[event.toolCallIndex] ??= {
          id: event.id ?? '',
          type: 'function',
          function: { name: event.name ?? '', arguments: '' },
        });
        if (event.id) call.id = event.id;
        if (event.name) call.function.name = event.name;
        call.function.arguments += event.argumentsDelta;
        break;
      }
      case 'finish':
        this.finish = event.reason;
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'openai-chunk':
        // Pass-through chunks are cached by expanding them once, only when caching is on.
        for (const expanded of expandChunk(event)) this.note(expanded);
        break;
      case 'error':
        this.unsupported = true;
        break;
    }
  }
}

export type { Target };

/** Cached answers are shared per route; a request pinned to a provider only shares that provider's. */
function cacheScope(routeName: string, pinnedProvider: string | undefined): string {
  return pinnedProvider === undefined ? routeName : `${routeName}\u0000${pinnedProvider}`;
}
