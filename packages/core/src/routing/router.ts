// The router: resolve the request's route, order its candidates, and run attempts — retries on
// transient failures with backoff or the upstream's Retry-After, failover on provider-side
// failures, the client's own errors returned at once, route fallback chains, and streams that
// may fail over until their first token.
import type { GatewayConfig, RouteConfig, Strategy } from '../config/config-schema.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { ChatResponse, Usage } from '../spec/chat-response.ts';
import {
  AllProvidersFailedError,
  DeadlineExceededError,
  GatewayError,
  InvalidRequestError,
  NoHealthyProvidersError,
  UpstreamError,
  type AttemptRecord,
} from '../spec/errors.ts';
import type { CallOptions, ProviderAdapter } from '../spec/provider-adapter.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import type { CircuitBreakers, HealthMonitor } from '../resilience/index.ts';
import type { ProviderLimiter } from '../limits/index.ts';
import type { GatewayEvents, GatewayMetrics } from '../metrics/index.ts';
import type { Clock } from '../util/clock.ts';
import type { RandomSource } from '../util/random.ts';
import { fullJitterBackoff } from './backoff.ts';
import { awaitFirstToken, closeQuietly } from './attempt-stream.ts';
import {
  RoutingTable,
  type DefaultProviderMode,
  type RoutePlan,
  type Target,
} from './routing-table.ts';
import { orderTargets } from './strategies.ts';
import { estimateInputTokens, estimateOutputTokens } from './usage-estimate.ts';

export interface RouterDependencies {
  adapters: ReadonlyMap<string, ProviderAdapter>;
  circuits: CircuitBreakers;
  health: HealthMonitor;
  limiter: ProviderLimiter;
  events: GatewayEvents;
  metrics?: GatewayMetrics | undefined;
  clock: Clock;
  random: RandomSource;
}

export interface RouteOptions {
  requestId: string;
  /** Aborted when the client goes away. */
  signal?: AbortSignal | undefined;
  /** Overrides the route's strategy (`x-switchyard-strategy`, or the key's). */
  strategy?: Strategy | undefined;
  /** Sends the request to this provider only (`x-switchyard-provider`). */
  pinnedProvider?: string | undefined;
  /** The seed's default-provider switch, for requests that name no model. */
  defaultProvider?: DefaultProviderMode | undefined;
  autoFallback?: boolean | undefined;
  /** When the request arrived (epoch ms); deadlines count from here. */
  startedAt?: number | undefined;
}

/** Everything the caller needs to report on a routed request. */
export interface RouteTrace {
  plan: RoutePlan;
  attempts: AttemptRecord[];
  /** The target that answered, once one did. */
  target?: Target;
}

export interface RoutedCompletion {
  response: ChatResponse;
  trace: RouteTrace;
  target: Target;
}

export interface StreamSummary {
  usage?: Usage;
  /** Set when the stream ended with an error after the first token. */
  error?: UpstreamError;
  firstTokenAt?: number;
}

export interface RoutedStream {
  trace: RouteTrace;
  target: Target;
  /** When the first output token arrived (epoch ms); undefined for an empty answer. */
  firstTokenAt: number | undefined;
  /** The events for the client: buffered ones first, then the rest of the upstream stream. */
  events: AsyncIterable<StreamEvent>;
  /** Settles when the stream has been fully consumed (or abandoned). Never rejects. */
  done: Promise<StreamSummary>;
}

interface AttemptSettings {
  retryAttempts: number;
  retryDelay: number;
  timeout: (target: Target) => number;
  requestTimeout: number;
  firstTokenTimeout: number | undefined;
}

type AttemptFunction<T> = (
  adapter: ProviderAdapter,
  target: Target,
  options: CallOptions,
  abort: (reason: unknown) => void,
) => Promise<T>;

/** The attempt hit a limit or an open circuit, not the provider: no failure is recorded. */
class SkipTarget {
  constructor(
    readonly record: AttemptRecord,
    readonly retryAfterMs?: number,
  ) {}
}

export class Router {
  private table: RoutingTable;
  private dependencies: RouterDependencies;
  private readonly cursors = new Map<string, number>();
  /** Providers told us to come back later (429 with a retry hint): skipped until then. */
  private readonly coolingUntil = new Map<string, number>();

  constructor(config: GatewayConfig, dependencies: RouterDependencies) {
    this.table = new RoutingTable(config);
    this.dependencies = dependencies;
  }

  get routing(): RoutingTable {
    return this.table;
  }

  /** Swaps in a new config and adapters (hot reload); health and circuit state are kept by their owners. */
  update(config: GatewayConfig, adapters: ReadonlyMap<string, ProviderAdapter>): void {
    this.table = new RoutingTable(config);
    this.dependencies = { ...this.dependencies, adapters };
  }

  /** Resolves which route a request takes and its targets, before any attempt. */
  plan(request: ChatRequest, options: RouteOptions): RoutePlan {
    const config = this.table.config;
    const requested = request.model;
    if (options.pinnedProvider !== undefined) {
      const provider = this.table.providers.get(options.pinnedProvider);
      if (!provider)
        throw new GatewayError({
          status: 404,
          type: 'not_found_error',
          code: 'provider_not_found',
          message: `Unknown provider "${options.pinnedProvider}" in x-switchyard-provider`,
          param: 'x-switchyard-provider',
        });
      if (!provider.enabled)
        throw new NoHealthyProvidersError(`provider "${provider.id}" is disabled`);
      const route = requested !== undefined ? this.table.routes.get(requested) : undefined;
      const routeTarget = route?.targets.find((target) => target.provider === provider.id);
      const targets = route
        ? this.table.routeTargets({
            ...route,
            targets: [routeTarget ?? { provider: provider.id, weight: 1 }],
          })
        : this.table.targetsFor([provider], requested);
      if (targets.length === 0)
        throw new GatewayError({
          status: 404,
          type: 'not_found_error',
          code: 'model_not_found',
          message: `Provider "${provider.id}" does not offer model "${requested ?? '(default)'}"`,
          param: 'model',
        });
      return { name: requested ?? 'default', route, strategy: 'priority', targets };
    }
    const routeName = requested ?? config.defaultRoute;
    const route = routeName !== undefined ? this.table.routes.get(routeName) : undefined;
    if (route) {
      return {
        name: route.name,
        route,
        strategy: options.strategy ?? route.strategy ?? config.loadBalancing,
        targets: this.table.routeTargets(route),
      };
    }
    if (requested === undefined) {
      const providers = this.table.defaultProviders(
        options.defaultProvider ?? config.defaultProvider,
        options.autoFallback ?? config.autoFallback,
      );
      // The seed's switch puts the chosen group first: keep that order unless a strategy is asked for.
      const strategy =
        options.strategy ??
        (config.defaultProvider === 'auto' && options.defaultProvider === undefined
          ? config.loadBalancing
          : 'priority');
      const targets = this.table.targetsFor(providers, undefined);
      if (targets.length === 0 && providers.length > 0) {
        throw new InvalidRequestError(
          'No model given and no provider has a default model: set "model", a default route, or a provider\'s models / config.modelId',
          'model',
          'model_required',
        );
      }
      return { name: 'default', route: undefined, strategy, targets };
    }
    const targets = this.table.modelTargets(requested);
    if (targets.length === 0) {
      throw new GatewayError({
        status: 404,
        type: 'not_found_error',
        code: 'model_not_found',
        message: `The model "${requested}" does not exist: it is neither a route nor a model offered by a provider`,
        param: 'model',
      });
    }
    return {
      name: requested,
      route: undefined,
      strategy: options.strategy ?? config.loadBalancing,
      targets,
    };
  }

  async complete(
    request: ChatRequest,
    options: RouteOptions,
    plan = this.plan(request, options),
  ): Promise<RoutedCompletion> {
    const trace: RouteTrace = { plan, attempts: [] };
    const { value, target } = await this.run(
      request,
      options,
      trace,
      (adapter, target, callOptions) =>
        adapter.complete({ request, model: target.model, options: callOptions }),
    );
    trace.target = target;
    value.provider = target.provider.id;
    return { response: value, trace, target };
  }

  async stream(
    request: ChatRequest,
    options: RouteOptions,
    plan = this.plan(request, options),
  ): Promise<RoutedStream> {
    const trace: RouteTrace = { plan, attempts: [] };
    const settings = this.settings(plan.route);
    const { clock } = this.dependencies;
    let attemptStartedAt = 0;
    let unlinkClient: () => void = () => undefined;
    const { value: started, target } = await this.run(
      request,
      options,
      trace,
      async (adapter, target, callOptions, abort) => {
        attemptStartedAt = clock.now();
        // The client's disconnect must keep reaching this upstream call for the whole stream, not only until the first token.
        unlinkClient();
        const onClientAbort = () => abort(options.signal?.reason);
        options.signal?.addEventListener('abort', onClientAbort, { once: true });
        unlinkClient = () => options.signal?.removeEventListener('abort', onClientAbort);
        const firstTokenDeadline = Math.min(
          callOptions.deadline,
          attemptStartedAt + (settings.firstTokenTimeout ?? settings.timeout(target)),
        );
        // The stream itself may run until the request deadline; only its start is bounded per attempt.
        const streamDeadline = (options.startedAt ?? attemptStartedAt) + settings.requestTimeout;
        const iterable = await adapter.stream({
          request,
          model: target.model,
          options: { signal: callOptions.signal, deadline: streamDeadline, firstTokenDeadline },
        });
        return awaitFirstToken(
          iterable[Symbol.asyncIterator](),
          firstTokenDeadline,
          clock,
          abort,
          target.provider.id,
        );
      },
    ).catch((error: unknown) => {
      unlinkClient();
      throw error;
    });
    trace.target = target;
    const firstTokenAt = started.ended ? undefined : clock.now();
    let resolveDone: (summary: StreamSummary) => void = () => undefined;
    const done = new Promise<StreamSummary>((resolve) => (resolveDone = resolve));
    const events: AsyncIterable<StreamEvent> = {
      [Symbol.asyncIterator]: () =>
        this.continueStream(
          started.buffered,
          started.ended ? undefined : started.iterator,
          target,
          attemptStartedAt,
          firstTokenAt,
          (summary) => {
            unlinkClient();
            resolveDone(summary);
          },
        ),
    };
    return { trace, target, firstTokenAt, events, done };
  }

  private continueStream(
    buffered: StreamEvent[],
    iterator: AsyncIterator<StreamEvent> | undefined,
    target: Target,
    attemptStartedAt: number,
    firstTokenAt: number | undefined,
    finish: (summary: StreamSummary) => void,
  ): AsyncIterator<StreamEvent> {
    return new RoutedEvents(
      buffered,
      iterator,
      target.provider.id,
      firstTokenAt,
      (summary, completed) => {
        const latency = this.dependencies.clock.now() - attemptStartedAt;
        if (summary.error && !summary.error.isClientFault)
          this.recordFailure(target, summary.error);
        else if (completed)
          this.dependencies.health.recordOutcome(target.provider.id, {
            ok: true,
            latencyMs: latency,
          });
        finish(summary);
      },
    );
  }

  private settings(route: RouteConfig | undefined): AttemptSettings {
    const config = this.table.config;
    return {
      retryAttempts: route?.retryAttempts ?? config.retryAttempts,
      retryDelay: route?.retryDelay ?? config.retryDelay,
      timeout: (target) => route?.timeout ?? target.provider.timeout ?? config.timeout,
      requestTimeout: route?.requestTimeout ?? config.requestTimeout,
      firstTokenTimeout: route?.firstTokenTimeout ?? config.firstTokenTimeout,
    };
  }

  private planFor(route: RouteConfig, options: RouteOptions): RoutePlan {
    return {
      name: route.name,
      route,
      strategy: options.strategy ?? route.strategy ?? this.table.config.loadBalancing,
      targets: this.table.routeTargets(route),
    };
  }

  private async run<T>(
    request: ChatRequest,
    options: RouteOptions,
    trace: RouteTrace,
    attempt: AttemptFunction<T>,
  ): Promise<{ value: T; target: Target }> {
    const { clock, circuits, events, health } = this.dependencies;
    const startedAt = options.startedAt ?? clock.now();
    const requestTimeout = this.settings(trace.plan.route).requestTimeout;
    const deadline = startedAt + requestTimeout;
    const inputTokens = estimateInputTokens(request);
    const outputTokens = estimateOutputTokens(request);
    const tried = new Set<string>();
    // The route first, then (each once) a larger-window route after a context-length error and the route's fallbacks.
    const queue: RoutePlan[] = [trace.plan];
    const seenRoutes = new Set<string>([trace.plan.name]);
    const enqueue = (route: RouteConfig | undefined, first: boolean) => {
      if (!route || seenRoutes.has(route.name)) return;
      seenRoutes.add(route.name);
      if (first) queue.unshift(this.planFor(route, options));
      else queue.push(this.planFor(route, options));
    };
    let soonestRetryMs: number | undefined;
    let lastError: UpstreamError | undefined;
    let previous: Target | undefined;
    const noteRetryAfter = (ms: number | undefined) => {
      if (ms !== undefined) soonestRetryMs = Math.min(soonestRetryMs ?? ms, ms);
    };

    for (let plan = queue.shift(); plan !== undefined; plan = queue.shift()) {
      const settings = this.settings(plan.route);
      const ordered = this.order(plan, options, inputTokens, outputTokens);
      targets: for (const target of ordered) {
        const key = `${target.provider.id}\u0000${target.model}`;
        if (tried.has(key)) continue;
        tried.add(key);
        const adapter = this.dependencies.adapters.get(target.provider.id);
        if (!adapter) {
          trace.attempts.push({
            provider: target.provider.id,
            model: target.model,
            outcome: 'skipped',
            kind: 'connection',
            message: `no adapter for type ${target.provider.type}`,
            latencyMs: 0,
          });
          continue;
        }
        const status = health.status(target.provider.id);
        if (!status.isHealthy) {
          trace.attempts.push({
            provider: target.provider.id,
            model: target.model,
            outcome: 'skipped',
            kind: 'connection',
            message: `unhealthy: ${status.error ?? 'failed its last health check'}`,
            latencyMs: 0,
          });
          // It is looked at again by the next health check.
          if (this.table.config.enableHealthMonitoring)
            noteRetryAfter(this.table.config.healthCheckInterval);
          continue;
        }
        if (previous && previous !== target)
          events.emit('fallback', {
            requestId: options.requestId,
            from: previous.provider.id,
            to: target.provider.id,
            reason: lastError?.kind ?? 'skipped',
          });
        for (let retry = 0; ; retry++) {
          const now = clock.now();
          if (now >= deadline)
            throw new DeadlineExceededError(
              `Request deadline of ${requestTimeout} ms exceeded`,
              trace.attempts,
            );
          const gate = this.admit(target, inputTokens + outputTokens, now);
          if (gate instanceof SkipTarget) {
            trace.attempts.push(gate.record);
            noteRetryAfter(gate.retryAfterMs);
            continue targets;
          }
          previous = target;
          const controller = new AbortController();
          const onClientAbort = () => controller.abort(options.signal?.reason);
          options.signal?.addEventListener('abort', onClientAbort, { once: true });
          const attemptDeadline = Math.min(deadline, now + settings.timeout(target));
          try {
            if (options.signal?.aborted) throw options.signal.reason;
            const value = await withDeadline(
              attempt(
                adapter,
                target,
                { signal: controller.signal, deadline: attemptDeadline },
                (reason) => controller.abort(reason),
              ),
              attemptDeadline - now,
              () => {
                const timeout = new UpstreamError({
                  kind: 'timeout',
                  message: `no answer within ${attemptDeadline - now} ms`,
                  provider: target.provider.id,
                });
                controller.abort(timeout);
                return timeout;
              },
            );
            const latencyMs = clock.now() - now;
            gate.release(inputTokens + outputTokens);
            trace.attempts.push({
              provider: target.provider.id,
              model: target.model,
              outcome: 'success',
              latencyMs,
            });
            circuits.onSuccess(target.provider.id, target.model, latencyMs);
            health.recordOutcome(target.provider.id, { ok: true, latencyMs });
            events.emit('attempt', {
              requestId: options.requestId,
              provider: target.provider.id,
              model: target.model,
              attempt: trace.attempts.length,
              outcome: 'success',
              latencyMs,
            });
            return { value, target };
          } catch (error) {
            gate.release(0);
            if (options.signal?.aborted)
              throw new GatewayError({
                status: 499,
                type: 'invalid_request_error',
                code: 'client_closed_request',
                message: 'The client closed the request',
                attempts: trace.attempts,
                cause: error,
              });
            const failure = toUpstreamError(
              error,
              target.provider.id,
              attemptDeadline,
              clock.now(),
            );
            lastError = failure;
            const latencyMs = clock.now() - now;
            trace.attempts.push({
              provider: target.provider.id,
              model: target.model,
              outcome: 'error',
              kind: failure.kind,
              status: failure.status,
              message: failure.message,
              latencyMs,
            });
            const decision = this.nextStep(failure, retry, settings, deadline, plan);
            events.emit('attempt', {
              requestId: options.requestId,
              provider: target.provider.id,
              model: target.model,
              attempt: trace.attempts.length,
              outcome: 'error',
              kind: failure.kind,
              ...(failure.status !== undefined ? { status: failure.status } : {}),
              latencyMs,
              ...(decision.action === 'retry' ? { retryInMs: decision.delayMs } : {}),
            });
            if (!failure.isClientFault) this.recordFailure(target, failure);
            switch (decision.action) {
              case 'answer':
                throw clientError(failure, trace.attempts);
              case 'context-fallback':
                enqueue(decision.route, true);
                break targets;
              case 'retry':
                this.dependencies.metrics?.countRetry(target.provider.id, failure.kind);
                await clock.sleep(decision.delayMs, options.signal).catch((reason: unknown) => {
                  throw new GatewayError({
                    status: 499,
                    type: 'invalid_request_error',
                    code: 'client_closed_request',
                    message: 'The client closed the request',
                    attempts: trace.attempts,
                    cause: reason,
                  });
                });
                continue;
              case 'failover':
                noteRetryAfter(failure.retryAfterMs);
                continue targets;
            }
          } finally {
            options.signal?.removeEventListener('abort', onClientAbort);
          }
        }
      }
      for (const name of plan.route?.fallbacks ?? []) enqueue(this.table.routes.get(name), false);
    }
    const failed = trace.attempts.filter((record) => record.outcome === 'error');
    if (failed.length === 0) {
      const reasons = trace.attempts
        .map((record) => `${record.provider}: ${record.message ?? record.kind ?? 'unavailable'}`)
        .join('; ');
      throw new NoHealthyProvidersError(
        reasons || `route "${trace.plan.name}" has no enabled providers`,
        {
          attempts: trace.attempts,
          ...(soonestRetryMs !== undefined ? { retryAfterMs: soonestRetryMs } : {}),
        },
      );
    }
    if (clock.now() >= deadline)
      throw new DeadlineExceededError(
        `Request deadline of ${requestTimeout} ms exceeded`,
        trace.attempts,
      );
    throw new AllProvidersFailedError(trace.attempts, lastError);
  }

  private order(
    plan: RoutePlan,
    options: RouteOptions,
    inputTokens: number,
    outputTokens: number,
  ): Target[] {
    const { circuits, health, limiter, random } = this.dependencies;
    const cursor = this.cursors.get(plan.name) ?? 0;
    if (plan.strategy === 'round-robin') this.cursors.set(plan.name, cursor + 1);
    return orderTargets(options.strategy ?? plan.strategy, plan.targets, {
      random,
      cursor,
      latency: (id) => health.latencyEstimate(id),
      inFlight: (id) => limiter.inFlight(id),
      trafficShare: (id) => circuits.peek(id).weight,
      estimatedInputTokens: inputTokens,
      estimatedOutputTokens: outputTokens,
    });
  }

  /** Circuit, cool-down and quota checks right before an attempt. */
  private admit(
    target: Target,
    estimatedTokens: number,
    now: number,
  ): { release: (tokens: number) => void } | SkipTarget {
    const { circuits, limiter } = this.dependencies;
    const provider = target.provider.id;
    const coolUntil = this.coolingUntil.get(provider);
    if (coolUntil !== undefined) {
      if (coolUntil > now)
        return new SkipTarget(
          {
            provider,
            model: target.model,
            outcome: 'skipped',
            kind: 'rate_limited',
            message: `rate limited upstream, retry in ${coolUntil - now} ms`,
            latencyMs: 0,
          },
          coolUntil - now,
        );
      this.coolingUntil.delete(provider);
    }
    const circuit = circuits.decide(provider, target.model);
    if (!circuit.allowed) {
      return new SkipTarget(
        {
          provider,
          model: target.model,
          outcome: 'skipped',
          kind: 'circuit_open',
          message: `circuit ${circuit.state}`,
          latencyMs: 0,
        },
        circuit.retryAfterMs,
      );
    }
    const quota = limiter.acquire(provider, target.provider.limits, estimatedTokens);
    if (!quota.ok) {
      circuits.release(provider, target.model);
      return new SkipTarget(
        {
          provider,
          model: target.model,
          outcome: 'skipped',
          kind: 'limit',
          message: quota.reason,
          latencyMs: 0,
        },
        quota.retryAfterMs,
      );
    }
    let released = false;
    return {
      release: (tokens) => {
        if (released) return;
        released = true;
        quota.release?.(tokens);
      },
    };
  }

  private recordFailure(target: Target, failure: UpstreamError): void {
    const { circuits, health, clock } = this.dependencies;
    circuits.onFailure(target.provider.id, target.model, failure.kind);
    health.recordOutcome(target.provider.id, {
      ok: false,
      latencyMs: 0,
      kind: failure.kind,
      message: failure.message,
    });
    if (failure.kind === 'rate_limited' && failure.retryAfterMs !== undefined) {
      this.coolingUntil.set(target.provider.id, clock.now() + failure.retryAfterMs);
    }
  }

  private nextStep(
    failure: UpstreamError,
    retry: number,
    settings: AttemptSettings,
    deadline: number,
    plan: RoutePlan,
  ):
    | { action: 'answer' }
    | { action: 'failover' }
    | { action: 'retry'; delayMs: number }
    | { action: 'context-fallback'; route: RouteConfig } {
    if (failure.isClientFault) {
      if (failure.code === 'unsupported_parameter') return { action: 'failover' };
      if (failure.kind === 'context_length' && plan.route?.contextLengthFallback) {
        const route = this.table.routes.get(plan.route.contextLengthFallback);
        if (route) return { action: 'context-fallback', route };
      }
      return { action: 'answer' };
    }
    if (!failure.retryable || retry >= settings.retryAttempts) return { action: 'failover' };
    const delayMs =
      failure.retryAfterMs ??
      fullJitterBackoff(retry, settings.retryDelay, this.dependencies.random);
    // Honour Retry-After exactly, or fail over when waiting would not fit in the time left.
    if (this.dependencies.clock.now() + delayMs >= deadline) return { action: 'failover' };
    return { action: 'retry', delayMs };
  }
}

/**
 * The client's view of a started stream: the events read before the first token, then the rest
 * of the upstream stream. A failure after the first token becomes a final `error` event. A plain
 * iterator rather than a generator: it runs once per streamed event.
 */
class RoutedEvents implements AsyncIterator<StreamEvent> {
  private index = 0;
  private ended = false;
  /** An error event was handed out: the stream is over after it. */
  private lastWasError = false;
  private readonly summary: StreamSummary;

  constructor(
    private readonly buffered: StreamEvent[],
    private readonly upstream: AsyncIterator<StreamEvent> | undefined,
    private readonly provider: string,
    firstTokenAt: number | undefined,
    private readonly onEnd: (summary: StreamSummary, completed: boolean) => void,
  ) {
    this.summary = firstTokenAt === undefined ? {} : { firstTokenAt };
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    if (this.ended) return { done: true, value: undefined };
    if (this.lastWasError) return this.end(true);
    const buffered = this.buffered[this.index];
    if (buffered) {
      this.index++;
      return this.hand(buffered);
    }
    if (!this.upstream) return this.end(true);
    let next: IteratorResult<StreamEvent>;
    try {
      next = await this.upstream.next();
    } catch (error) {
      return this.hand({ type: 'error', error: toUpstreamError(error, this.provider) });
    }
    return next.done ? this.end(true) : this.hand(next.value);
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    if (!this.ended) {
      if (this.upstream) await closeQuietly(this.upstream);
      this.end(false);
    }
    return { done: true, value: undefined };
  }

  private hand(event: StreamEvent): IteratorResult<StreamEvent> {
    if (event.type === 'usage') this.summary.usage = event.usage;
    else if (event.type === 'openai-chunk' && event.usage) this.summary.usage = event.usage;
    else if (event.type === 'error') {
      this.summary.error = event.error;
      this.lastWasError = true;
    }
    return { done: false, value: event };
  }

  private end(completed: boolean): IteratorResult<StreamEvent> {
    this.ended = true;
    this.onEnd(this.summary, completed);
    return { done: true, value: undefined };
  }
}

/**
 * Settles with `promise`, or rejects with `onTimeout()`'s error after `ms` — so an attempt never
 * outlives its deadline even if an adapter ignores its signal.
 */
async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    promise.catch(() => undefined);
  }
}

/** Any failure of an attempt as an UpstreamError (bugs and unknown throws count as server errors). */
export function toUpstreamError(
  error: unknown,
  provider: string,
  deadline?: number,
  now?: number,
): UpstreamError {
  if (error instanceof UpstreamError)
    return error.provider === provider ? error : error.withProvider(provider);
  if (deadline !== undefined && now !== undefined && now >= deadline) {
    return new UpstreamError({
      kind: 'timeout',
      message: 'the attempt deadline passed',
      provider,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError({
    kind: 'server',
    message: `unexpected failure: ${message}`,
    provider,
    cause: error,
  });
}

/** The client's own error, answered without fallback, keeping the vendor's message and field. */
function clientError(failure: UpstreamError, attempts: AttemptRecord[]): GatewayError {
  const error = new InvalidRequestError(
    `${failure.provider ?? 'upstream'} rejected the request: ${failure.message}`,
    failure.param ?? null,
    failure.kind === 'context_length'
      ? 'context_length_exceeded'
      : failure.kind === 'content_filter'
        ? 'content_filter'
        : (failure.code ?? 'invalid_request'),
  );
  error.attempts.push(...attempts);
  return error;
}
