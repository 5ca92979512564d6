// Prometheus metrics of one gateway, on its own registry (never prom-client's global one), so
// several gateways or tests in one process do not collide.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState } from '../resilience/circuit-breakers.ts';
import type { RequestOutcome } from './gateway-events.ts';

/**
 * Request latency spans cache hits (milliseconds) to long generations (minutes), so buckets grow
 * roughly ×2–2.5 from 5 ms to 5 min.
 */
const REQUEST_SECONDS_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300,
];
/** Time to first token: tens of milliseconds locally to a minute for a cold or queued model. */
const FIRST_TOKEN_SECONDS_BUCKETS = [
  0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 60,
];

/** Output tokens per second of generation: a slow CPU model's few to a fast API's hundreds. */
const TOKENS_PER_SECOND_BUCKETS = [1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 1000];
/**
 * Time to obtain a concurrency slot: a local count takes microseconds, the fleet's shared store a
 * round trip (a millisecond on a LAN, more when it is slow or far).
 */
const SLOT_WAIT_SECONDS_BUCKETS = [
  0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

/** Whose concurrency slot a request waited for: its API key's, or the provider's. */
export type SlotScope = 'key' | 'provider';

const CIRCUIT_STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface GatewayMetricsOptions {
  registry?: Registry;
  /** Prefix of every metric name; default `switchyard_`. */
  prefix?: string;
}

/** The `route` label of requests whose model the config does not name (never the client's text). */
export const UNKNOWN_ROUTE = 'unknown';

export class GatewayMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'route' | 'provider' | 'status' | 'stream'>;
  private readonly requestDuration: Histogram<'route' | 'provider' | 'stream'>;
  private readonly firstToken: Histogram<'route' | 'provider'>;
  private readonly tokensPerSecond: Histogram<'route' | 'provider'>;
  private readonly slotWait: Histogram<'scope'>;
  private readonly tokens: Counter<'route' | 'provider' | 'direction'>;
  private readonly cost: Counter<'route' | 'provider'>;
  private readonly requestErrors: Counter<'route' | 'provider' | 'kind'>;
  private readonly cacheLookups: Counter<'route' | 'result'>;
  private readonly retries: Counter<'provider' | 'kind'>;
  private readonly fallbacks: Counter<'from' | 'to'>;
  private readonly circuitState: Gauge<'provider' | 'model'>;
  private readonly providerHealthy: Gauge<'provider'>;
  private readonly providerResponseTime: Gauge<'provider'>;
  private readonly stateStoreUp: Gauge<'store'>;
  private readonly droppedLogs: Counter;
  /** Model label values seen per provider, so a removed provider's circuit series can be dropped. */
  private readonly circuitModels = new Map<string, Set<string>>();
  /** Route label values the config defines; any other name is counted as `unknown`. */
  private knownRoutes: ReadonlySet<string> | undefined;

  constructor(options: GatewayMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    const prefix = options.prefix ?? 'switchyard_';
    const registers = [this.registry];

    this.requests = new Counter({
      name: `${prefix}requests_total`,
      help: 'Finished requests by route, serving provider, HTTP status and streaming.',
      labelNames: ['route', 'provider', 'status', 'stream'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Time from receiving a request to its last byte.',
      labelNames: ['route', 'provider', 'stream'],
      buckets: REQUEST_SECONDS_BUCKETS,
      registers,
    });
    this.firstToken = new Histogram({
      name: `${prefix}first_token_seconds`,
      help: 'Time from receiving a streamed request to its first output token.',
      labelNames: ['route', 'provider'],
      buckets: FIRST_TOKEN_SECONDS_BUCKETS,
      registers,
    });
    this.tokensPerSecond = new Histogram({
      name: `${prefix}output_tokens_per_second`,
      help: 'Output tokens per second of generation (a stream: after its first token), per answered request.',
      labelNames: ['route', 'provider'],
      buckets: TOKENS_PER_SECOND_BUCKETS,
      registers,
    });
    this.slotWait = new Histogram({
      name: `${prefix}concurrency_slot_wait_seconds`,
      help: 'Time to obtain a concurrency slot (scope key or provider), for keys and providers with maxConcurrency; a full limit is refused at once, not queued.',
      labelNames: ['scope'],
      buckets: SLOT_WAIT_SECONDS_BUCKETS,
      registers,
    });
    this.tokens = new Counter({
      name: `${prefix}tokens_total`,
      help: 'Tokens used, by direction (input or output).',
      labelNames: ['route', 'provider', 'direction'],
      registers,
    });
    this.cost = new Counter({
      name: `${prefix}cost_usd_total`,
      help: 'Estimated spend in US dollars from configured model prices.',
      labelNames: ['route', 'provider'],
      registers,
    });
    this.requestErrors = new Counter({
      name: `${prefix}request_errors_total`,
      help: 'Failed requests by error kind.',
      labelNames: ['route', 'provider', 'kind'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: `${prefix}cache_lookups_total`,
      help: 'Response cache lookups on cache-enabled routes, by result (hit or miss).',
      labelNames: ['route', 'result'],
      registers,
    });
    this.retries = new Counter({
      name: `${prefix}retries_total`,
      help: 'Retries of the same provider, by the error kind that caused them.',
      labelNames: ['provider', 'kind'],
      registers,
    });
    this.fallbacks = new Counter({
      name: `${prefix}fallbacks_total`,
      help: 'Fallbacks from one provider to another.',
      labelNames: ['from', 'to'],
      registers,
    });
    this.circuitState = new Gauge({
      name: `${prefix}circuit_state`,
      help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open. An empty model is the provider-wide circuit.',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.providerHealthy = new Gauge({
      name: `${prefix}provider_healthy`,
      help: 'Provider health: 1 healthy, 0 unhealthy.',
      labelNames: ['provider'],
      registers,
    });
    this.providerResponseTime = new Gauge({
      name: `${prefix}provider_response_time_seconds`,
      help: 'Response time of the last successful health check.',
      labelNames: ['provider'],
      registers,
    });
    this.stateStoreUp = new Gauge({
      name: `${prefix}state_store_up`,
      help: 'Shared state store reachable: 1 up, 0 down. Absent in single-instance mode.',
      labelNames: ['store'],
      registers,
    });
    this.droppedLogs = new Counter({
      name: `${prefix}request_log_dropped_total`,
      help: 'Request-log rows dropped because the log buffer was full or the database failed.',
      registers,
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The names a request's route label may take (routes, public model names, `default`), set from
   * each config: a client can then send any `model` without adding a series.
   */
  setKnownRoutes(names: Iterable<string>): void {
    this.knownRoutes = new Set(['default', ...names]);
  }

  observeRequest(outcome: RequestOutcome): void {
    const route = this.routeLabel(outcome.route);
    const provider = outcome.provider ?? '';
    const stream = String(outcome.stream);
    this.requests.inc({ route, provider, status: String(outcome.status), stream });
    this.requestDuration.observe({ route, provider, stream }, outcome.latencyMs / 1000);
    if (outcome.firstTokenMs !== undefined) {
      this.firstToken.observe({ route, provider }, outcome.firstTokenMs / 1000);
    }
    const rate = outputRate(outcome);
    if (rate !== undefined) this.tokensPerSecond.observe({ route, provider }, rate);
    if (outcome.inputTokens)
      this.tokens.inc({ route, provider, direction: 'input' }, outcome.inputTokens);
    if (outcome.outputTokens)
      this.tokens.inc({ route, provider, direction: 'output' }, outcome.outputTokens);
    if (outcome.costUsd) this.cost.inc({ route, provider }, outcome.costUsd);
    if (outcome.errorKind !== undefined) {
      this.requestErrors.inc({ route, provider, kind: outcome.errorKind });
    }
    if (outcome.cache !== undefined) this.cacheLookups.inc({ route, result: outcome.cache });
  }

  private routeLabel(route: string | undefined): string {
    if (route === undefined) return '';
    if (this.knownRoutes === undefined || this.knownRoutes.has(route)) return route;
    return UNKNOWN_ROUTE;
  }

  /** How long a request waited for a concurrency slot it was then given. */
  observeSlotWait(scope: SlotScope, milliseconds: number): void {
    this.slotWait.observe({ scope }, milliseconds / 1000);
  }

  countRetry(provider: string, kind: string): void {
    this.retries.inc({ provider, kind });
  }

  countFallback(from: string, to: string): void {
    this.fallbacks.inc({ from, to });
  }

  setCircuitState(provider: string, model: string | undefined, state: CircuitState): void {
    const modelLabel = model ?? '';
    let models = this.circuitModels.get(provider);
    if (models === undefined) {
      models = new Set();
      this.circuitModels.set(provider, models);
    }
    models.add(modelLabel);
    this.circuitState.set({ provider, model: modelLabel }, CIRCUIT_STATE_VALUE[state]);
  }

  setHealth(provider: string, healthy: boolean, responseTimeMs?: number): void {
    this.providerHealthy.set({ provider }, healthy ? 1 : 0);
    if (responseTimeMs !== undefined) {
      this.providerResponseTime.set({ provider }, responseTimeMs / 1000);
    }
  }

  /** `store` names the engine, e.g. `redis` or `redis-cluster`. */
  setStateStoreUp(store: string, up: boolean): void {
    this.stateStoreUp.set({ store }, up ? 1 : 0);
  }

  countDroppedLogs(count: number): void {
    if (count > 0) this.droppedLogs.inc(count);
  }

  /** Drops a removed provider's gauges, so a config reload does not leave stale series behind. */
  removeProvider(provider: string): void {
    this.providerHealthy.remove({ provider });
    this.providerResponseTime.remove({ provider });
    for (const model of this.circuitModels.get(provider) ?? []) {
      this.circuitState.remove({ provider, model });
    }
    this.circuitModels.delete(provider);
  }

  /** Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * Output tokens per second while the answer was generated: a stream's from its first token on, a
 * whole answer's over the request. None for cache hits, failures and answers without output.
 */
function outputRate(outcome: RequestOutcome): number | undefined {
  if (!outcome.outputTokens || outcome.cache === 'hit' || outcome.errorKind !== undefined)
    return undefined;
  const generatingMs =
    outcome.firstTokenMs !== undefined
      ? outcome.latencyMs - outcome.firstTokenMs
      : outcome.latencyMs;
  return generatingMs > 0 ? outcome.outputTokens / (generatingMs / 1000) : undefined;
}
