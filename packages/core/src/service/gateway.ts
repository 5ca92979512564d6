// The gateway engine's composition root: builds a config's router, health monitor, circuit
// breakers, limits, cache, adapters and reporting, and serves requests through them. The
// request entry, the seed-compatible InferenceService and the dashboard all sit on this.
import type { GatewayConfig, ProviderConfig, RouteConfig } from '../config/config-schema.ts';
import { nativeFor, type NativeDialect } from '../spec/native-dialect.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import { GatewayError } from '../spec/errors.ts';
import type {
  AdapterRegistry,
  ModelInfo,
  ProbeResult,
  ProviderAdapter,
} from '../spec/provider-adapter.ts';
import { CacheSlot, replayCached, ResponseCache, StreamCollector } from '../cache/index.ts';
import { EmbeddingCache } from '../cache/embedding-cache.ts';
import type { EmbeddingRequest } from '../spec/embedding-request.ts';
import { serveEmbedding, type EmbeddingResult } from './embedding-service.ts';
import type { KeyLimiter, ProviderLimiter } from '../limits/index.ts';
import {
  RequestReporter,
  type GatewayEvents,
  type GatewayMetrics,
  type LoggedBodies,
} from '../metrics/index.ts';
import {
  bodyLoggingFor,
  captureBody,
  DEFAULT_BODY_LOG_MAX_BYTES,
  type BodyLogging,
  type BodyLoggingSettings,
} from '../metrics/body-capture.ts';
import type { CircuitBreakers, HealthMonitor } from '../resilience/index.ts';
import type { StateStore } from '../state/index.ts';
import { Router } from '../routing/router.ts';
import type { Target } from '../routing/routing-table.ts';
import { PriceBook } from '../pricing/price-book.ts';
import type { PriceCatalogue } from '../pricing/price-catalogue.ts';
import type { Usage } from '../spec/chat-response.ts';
import type { Clock } from '../util/clock.ts';
import { AdapterPool } from './adapter-pool.ts';
import { loadTokenizer } from '../routing/token-count.ts';
import { buildGatewayParts, passiveEjectionMs, type GatewayPartsOptions } from './gateway-parts.ts';
import type { ProviderHealthView, ProviderTestResult } from '../spec/provider-health.ts';
import { servedBy, servedFields, type ServedCall } from './served-call.ts';
import type { CompletionResult, StreamedCompletion } from './completion-result.ts';
import { requestStart, type RequestContext } from './request-context.ts';
import type { RequestTracer } from '../trace/request-tracer.ts';
import { linkAttemptTrace } from '../trace/upstream-link.ts';
import { toUpstreamError } from '../routing/to-upstream-error.ts';

export type { RequestContext } from './request-context.ts';
export type { CompletionResult, StreamedCompletion } from './completion-result.ts';
export type { ProviderHealthView, ProviderTestResult } from '../spec/provider-health.ts';

export interface GatewayOptions extends GatewayPartsOptions {
  adapters: AdapterRegistry;
  /** Start the health monitor when the config enables it (default true). */
  monitorHealth?: boolean;
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
  private readonly adapters: AdapterPool;
  private readonly reporter: RequestReporter;
  private readonly router: Router;
  private cache: ResponseCache;
  private embeddingCache: EmbeddingCache;
  private readonly store: StateStore;
  private readonly monitorHealth: boolean;
  private bodyLogging: BodyLoggingSettings = {
    enabled: false,
    maxBytes: DEFAULT_BODY_LOG_MAX_BYTES,
  };
  private requestTracer: RequestTracer | undefined;
  private priceBook = new PriceBook(undefined);

  constructor(options: GatewayOptions) {
    this.config = options.config;
    const parts = buildGatewayParts(options);
    ({ clock: this.clock, store: this.store, events: this.events, metrics: this.metrics } = parts);
    ({ circuits: this.circuits, health: this.health } = parts);
    ({ providerLimiter: this.providerLimiter, keyLimiter: this.keyLimiter } = parts);
    this.monitorHealth = options.monitorHealth ?? true;
    this.cache = this.newCache();
    this.embeddingCache = new EmbeddingCache(this.config.cache.maxEntries, this.clock);
    this.reporter = new RequestReporter(this.metrics, this.events, this.clock);
    this.registry = options.adapters;
    this.adapters = new AdapterPool(options.adapters);
    this.adapters.sync(this.config.providers);
    this.preloadTokenizer();
    this.router = new Router(this.config, {
      adapters: this.adapters.byProvider(),
      circuits: this.circuits,
      health: this.health,
      limiter: this.providerLimiter,
      store: this.store,
      events: this.events,
      metrics: this.metrics,
      clock: this.clock,
      random: parts.random,
      acceptsPrefill: (target) =>
        this.adapters.acceptsPrefill(target.provider, target.modelConfig?.assistantPrefill),
    });
    this.metrics.setKnownRoutes(this.modelNames());
    this.syncHealthTargets();
  }

  get currentConfig(): GatewayConfig {
    return this.config;
  }

  /**
   * Keeps each request's body and answer in its `request` event, for request logs: masked and
   * capped (`captureBody`). Off by default: bodies are the users' data. A route's or a key's own
   * `logBodies` overrides this global setting (`bodyLoggingFor`).
   */
  setBodyLogging(settings: BodyLoggingSettings): void {
    this.bodyLogging = settings;
  }

  /**
   * Traces every HTTP request and its upstream attempts through this tracer (undefined, the
   * default: no tracing, and no cost on the request path).
   */
  setTracer(tracer: RequestTracer | undefined): void {
    this.requestTracer = tracer;
  }

  /**
   * List prices for models that have none of their own (undefined: only the providers' own
   * prices). Built into lookups here, once per catalogue, not per request.
   */
  setPriceCatalogue(catalogue: PriceCatalogue | undefined): void {
    this.priceBook = new PriceBook(catalogue);
  }

  get prices(): PriceBook {
    return this.priceBook;
  }

  /** What the target that answered used, at its model's prices. */
  private costOf(target: Target, usage: Usage | undefined): number | undefined {
    return this.priceBook.costOf(target.provider, target.model, target.modelConfig, usage);
  }

  get tracer(): RequestTracer | undefined {
    return this.requestTracer;
  }

  /** Loads the tokenizer ahead of the first answer that will need it, off the request path. */
  private preloadTokenizer(): void {
    if (this.adapters.someLackStreamingUsage(this.config.providers))
      void loadTokenizer().catch(() => undefined);
  }

  /** Whether a provider's type speaks a client dialect natively (its definition says so). */
  speaksNatively(provider: ProviderConfig, dialect: NativeDialect): boolean {
    return this.adapters.speaks(provider, dialect);
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
    this.health.setEjectionMs(passiveEjectionMs(config));
    if (cacheSizeChanged) this.cache = this.newCache();
    if (cacheSizeChanged)
      this.embeddingCache = new EmbeddingCache(config.cache.maxEntries, this.clock);
    this.adapters.sync(config.providers);
    this.preloadTokenizer();
    this.router.update(config, this.adapters.byProvider());
    this.metrics.setKnownRoutes(this.modelNames());
    this.syncHealthTargets();
  }

  async complete(
    request: ChatRequest,
    context: RequestContext = {},
  ): Promise<CompletionResult<ChatResponse>> {
    return this.serve(
      request,
      context,
      false,
      (cached) => cached,
      async (call) => {
        const { target, trace, response } = await this.router.complete(
          request,
          call.options,
          call.plan,
        );
        call.slot?.keep(response);
        const outcome = this.reporter.served(call.start, {
          usage: response.usage,
          costUsd: this.costOf(target, response.usage),
          bodies: this.bodies(call.logging, request, response),
          ...servedFields(call, target, trace),
        });
        return {
          output: response,
          done: Promise.resolve(outcome),
          ...servedBy(call, target, trace),
        };
      },
    );
  }

  async stream(request: ChatRequest, context: RequestContext = {}): Promise<StreamedCompletion> {
    return this.serve(request, context, true, replayCached, async (call) => {
      const routed = await this.router.stream(request, call.options, call.plan);
      const { target, trace } = routed;
      const origin = { model: target.model, provider: target.provider.id };
      const recorded = call.slot?.record(routed.events, origin);
      const collector = call.logging ? new StreamCollector(origin) : undefined;
      const events = recorded?.events ?? routed.events;
      const done = routed.done.then((summary) => {
        const outcome = this.reporter.served(call.start, {
          usage: summary.usage,
          costUsd: this.costOf(target, summary.usage),
          firstTokenAt: routed.firstTokenAt,
          error: summary.error,
          bodies: collector && this.bodies(call.logging, request, collector.snapshot()),
          ...servedFields(call, target, trace),
        });
        if (summary.error === undefined) recorded?.keep();
        return outcome;
      });
      const output = collector ? collector.collect(events) : events;
      return { output, done, ...servedBy(call, target, trace) };
    });
  }

  /**
   * A native body's input tokens by the vendor's own counter: the first target of the request's
   * plan whose adapter counts them. Undefined when none does; an upstream failure rejects.
   */
  async countTokens(
    request: ChatRequest,
    context: RequestContext,
  ): Promise<{ inputTokens: number; provider: string } | undefined> {
    const start = requestStart(context, false, this.clock);
    const plan = this.router.plan(request, Object.assign({}, context, start));
    context.trace?.routed(plan.name);
    const adapters = this.adapters.byProvider();
    const deadline = this.clock.now() + this.config.timeout;
    const signal = context.signal ?? new AbortController().signal;
    for (const target of plan.targets) {
      const adapter = adapters.get(target.provider.id);
      if (!adapter?.countTokens) continue;
      const native = nativeFor(context.native, target.provider.id);
      const attempt = context.trace?.startAttempt({
        subject: { operation: 'count_tokens', request },
        route: plan.name,
        providerId: target.provider.id,
        providerType: target.provider.type,
        model: target.model,
        startedAt: this.clock.now(),
      });
      // A signal of the attempt's own, so the upstream call carries the attempt span's traceparent.
      const options = { signal: attempt ? AbortSignal.any([signal]) : signal, deadline };
      if (attempt) linkAttemptTrace(options.signal, attempt);
      const call = { request, model: target.model, options, native };
      let inputTokens: number | undefined;
      try {
        inputTokens = await adapter.countTokens(call);
      } catch (error) {
        attempt?.failed(toUpstreamError(error, target.provider.id, deadline, this.clock.now()));
        throw error;
      }
      attempt?.answered({ inputTokens });
      if (inputTokens !== undefined) return { inputTokens, provider: target.provider.id };
    }
    return undefined;
  }

  /** Embeddings through the same routing, cache, reporting and costs (`embedding-service.ts`). */
  async embed(request: EmbeddingRequest, context: RequestContext = {}): Promise<EmbeddingResult> {
    const { router, reporter, embeddingCache: cache, config, clock, priceBook: prices } = this;
    return await serveEmbedding(
      { router, reporter, cache, config, clock, prices },
      request,
      context,
    );
  }

  /** The steps both modes share: plan, answer from the cache when it can, report a failure. */
  private async serve<Output>(
    request: ChatRequest,
    context: RequestContext,
    stream: boolean,
    replay: (cached: ChatResponse) => Output,
    route: (call: ServedCall) => Promise<CompletionResult<Output>>,
  ): Promise<CompletionResult<Output>> {
    const start = requestStart(context, stream, this.clock);
    // Object.assign, not a spread followed by members: that is slow in V8, and this runs per request
    const options = Object.assign({}, context, {
      requestId: start.requestId,
      startedAt: start.startedAt,
    });
    try {
      const plan = this.router.plan(request, options);
      const logging = this.loggingFor(plan.name, context);
      context.trace?.routed(plan.name);
      const slot = CacheSlot.open({
        cache: this.cache,
        defaults: this.config.cache,
        route: plan.route?.cache,
        routeName: plan.name,
        pinnedProvider: context.pinnedProvider,
        keyId: context.keyId,
        request,
        native: context.native,
      });
      const cached = slot?.cached();
      if (!cached) return await route({ start, options, plan, slot, logging });
      return {
        requestId: start.requestId,
        provider: cached.provider ?? 'cache',
        model: cached.model,
        attempts: [],
        cache: 'hit',
        output: replay(cached),
        done: Promise.resolve(
          this.reporter.cacheHit(start, plan.name, cached, this.bodies(logging, request, cached)),
        ),
      };
    } catch (error) {
      const route = request.model ?? this.config.defaultRoute ?? 'default';
      const logging = this.loggingFor(route, context);
      this.reporter.failed(error, start, route, this.bodies(logging, request));
      throw error;
    }
  }

  /** Body logging for a request on this route (or model name) with this key (`bodyLoggingFor`). */
  private loggingFor(routeName: string, context: RequestContext): BodyLogging | undefined {
    return bodyLoggingFor(this.bodyLogging, this.route(routeName)?.logBodies, context.logBodies);
  }

  /** The bodies for the request log when body logging is on; the answer once there is one. */
  private bodies(
    logging: BodyLogging | undefined,
    request: ChatRequest,
    response?: unknown,
  ): LoggedBodies | undefined {
    if (!logging) return undefined;
    const requestBody = captureBody(request, logging);
    if (response === undefined) return { requestBody };
    return { requestBody, responseBody: captureBody(response, logging) };
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
    return this.adapterFor(providerId).probe(this.callOptions(timeoutMs));
  }

  async listProviderModels(providerId: string, timeoutMs = 10_000): Promise<ModelInfo[]> {
    return this.adapterFor(providerId).listModels(this.callOptions(timeoutMs));
  }

  /**
   * Health per configured provider. A disabled provider is never reported healthy: the monitor
   * no longer checks it, so its last verdict would say nothing about whether it serves requests.
   */
  providerHealth(): ProviderHealthView[] {
    return this.config.providers.map((provider) => {
      const view: ProviderHealthView = {
        ...this.health.status(provider.id),
        providerId: provider.id,
        name: provider.name,
        type: provider.type,
        enabled: provider.enabled,
        circuit: this.circuits.providerState(provider.id),
      };
      if (!provider.enabled) {
        view.isHealthy = false;
        view.error = 'disabled';
      }
      const coolDownUntil = this.router.coolDownUntil(provider.id);
      if (coolDownUntil !== undefined) view.coolDownUntil = coolDownUntil;
      return view;
    });
  }

  async close(): Promise<void> {
    this.health.stop();
    this.providerLimiter.close();
    this.keyLimiter.close();
    this.router.close();
    this.circuits.close();
    await this.adapters.close();
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
    return this.adapters.require(this.provider(providerId));
  }

  private callOptions(timeoutMs: number): { signal: AbortSignal; deadline: number } {
    return { signal: AbortSignal.timeout(timeoutMs), deadline: this.clock.now() + timeoutMs };
  }

  private newCache(): ResponseCache {
    const { clock, store } = this;
    return new ResponseCache({ maxEntries: this.config.cache.maxEntries, clock, store });
  }

  private syncHealthTargets(): void {
    this.health.setTargets(this.adapters.healthTargets(this.config));
    if (this.monitorHealth && this.config.enableHealthMonitoring) this.health.start();
    else this.health.stop();
  }
}

export type { Target };
