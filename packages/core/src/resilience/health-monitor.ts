// Provider health: active checks on an interval (the seed's custom healthCheck, or the adapter's
// cheap probe) and passive signals from real traffic, feeding one state the router reads
// synchronously.
import type { HealthCheckConfig } from '../config/config-schema.ts';
import type { GatewayEvents } from '../metrics/gateway-events.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { ERROR_POLICY } from '../spec/error-policy.ts';
import type { UpstreamErrorKind } from '../spec/errors.ts';
import type { CallOptions, ProbeResult } from '../spec/provider-adapter.ts';
import type { HealthStatus } from '../spec/provider-health.ts';
import type { StateStore } from '../state/state-store.ts';
import { newInstanceId, writeInBackground } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { raceDeadline, TIMED_OUT } from '../util/deadline.ts';
import type { RandomSource } from '../util/random.ts';
import { systemRandom } from '../util/random.ts';
import { redactUrls, urlOrigin } from '../util/url-origin.ts';

export type { HealthStatus };

export interface HealthTarget {
  providerId: string;
  endpoint?: string;
  healthCheck?: HealthCheckConfig;
  /** The adapter's probe. */
  probe?: (options: CallOptions) => Promise<ProbeResult>;
}

export interface HealthMonitorOptions {
  intervalMs: number;
  /** The global `healthCheck`, used for targets without their own. */
  defaultHealthCheck?: HealthCheckConfig;
  clock?: Clock;
  random?: RandomSource;
  events?: GatewayEvents;
  metrics?: GatewayMetrics;
  store?: StateStore;
  fetch?: typeof fetch;
  /** Time limit of an adapter probe (a custom check has its own `timeout`). Default 5 s. */
  timeoutMs?: number;
  /** How long real traffic keeps a failing provider (or model) out before re-testing it. Default 5 s. */
  ejectionMs?: number;
}

export interface TrafficOutcome {
  ok: boolean;
  latencyMs: number;
  kind?: UpstreamErrorKind;
  message?: string;
  /** The model the request was for: failures that are not provider-wide eject only that model. */
  model?: string;
}

/** Whether the router may send a request to a provider model now. */
export type Availability =
  { available: true } | { available: false; error: string; retryAfterMs: number | undefined };

/**
 * Thresholds. One failed active check marks a provider unhealthy: the check is deliberate and
 * cheap, so its failure is a clear signal. Real traffic is noisier (one timeout may be one long
 * prompt), so it takes this many provider-side failures in a row. One success of either kind
 * restores health.
 */
const TRAFFIC_FAILURES_TO_UNHEALTHY = 3;
/** Interval jitter (±10%), so providers and gateway instances do not check in lockstep. */
const JITTER_RATIO = 0.1;
/** Weight of the newest sample in the latency average: about the last five requests dominate. */
const LATENCY_EWMA_ALPHA = 0.3;
const DEFAULT_PROBE_TIMEOUT_MS = 5_000;
/** Like a circuit's cooldown: short, because the re-test is one real request. */
const DEFAULT_EJECTION_MS = 5_000;
const STORE_PREFIX = 'health:';

interface ProviderHealth {
  status: HealthStatus;
  trafficLatency: number | undefined;
  probeLatency: number | undefined;
  /** Until when real traffic keeps the provider out (epoch ms); then it is re-tested. */
  ejectedUntil: number | undefined;
}

/** Passive health of one provider model, from real traffic only. */
interface ModelHealth {
  consecutiveFailures: number;
  error: string | undefined;
  ejectedUntil: number | undefined;
}

interface CheckResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
  source: 'probe' | 'custom';
}

interface SharedHealth {
  origin: string;
  status: HealthStatus;
}

class CheckTimeoutError extends Error {
  override readonly name = 'CheckTimeoutError';
}

function isSharedHealth(value: unknown): value is SharedHealth {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SharedHealth>;
  return (
    typeof record.origin === 'string' &&
    typeof record.status === 'object' &&
    record.status !== null &&
    typeof record.status.providerId === 'string' &&
    typeof record.status.isHealthy === 'boolean'
  );
}

function unknownStatus(providerId: string): HealthStatus {
  return { providerId, isHealthy: true, consecutiveFailures: 0, source: 'none' };
}

/**
 * A health-check URL: absolute as given, or relative to the provider endpoint — its path joined
 * to the endpoint's path, its query merged into the endpoint's query (never appended after it).
 */
export function resolveHealthCheckUrl(
  url: string,
  endpoint: string | undefined,
): string | undefined {
  if (/^https?:\/\//i.test(url)) return url;
  if (endpoint === undefined) return undefined;
  let base: URL;
  try {
    base = new URL(endpoint);
  } catch {
    return undefined;
  }
  const [withoutFragment = ''] = url.split('#');
  const [path = '', query] = withoutFragment.split('?', 2);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  for (const [name, value] of new URLSearchParams(query ?? ''))
    base.searchParams.append(name, value);
  base.hash = '';
  return base.toString();
}

/** An error as health text, with any URL in it cut to its origin (credentials, query: tokens). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return redactUrls(String(error));
  // fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED …) in its cause.
  const cause = error.cause;
  if (cause instanceof Error && cause.message) return redactUrls(cause.message);
  return redactUrls(error.message);
}

export class HealthMonitor {
  private readonly intervalMs: number;
  private readonly defaultHealthCheck: HealthCheckConfig | undefined;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly events: GatewayEvents | undefined;
  private readonly metrics: GatewayMetrics | undefined;
  private readonly store: StateStore | undefined;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private ejectionMs: number;
  private readonly models = new Map<string, ModelHealth>();
  private readonly instanceId = newInstanceId();
  private readonly unsubscribe: (() => void) | undefined;

  private targets = new Map<string, HealthTarget>();
  private readonly health = new Map<string, ProviderHealth>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<
    string,
    { promise: Promise<HealthStatus>; controller: AbortController }
  >();
  private started = false;

  constructor(options: HealthMonitorOptions) {
    this.intervalMs = options.intervalMs;
    this.defaultHealthCheck = options.defaultHealthCheck;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? systemRandom;
    this.events = options.events;
    this.metrics = options.metrics;
    this.store = options.store;
    // Wrapped so the global fetch is never called with this monitor as its receiver.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    this.ejectionMs = options.ejectionMs ?? DEFAULT_EJECTION_MS;
    this.unsubscribe = this.store?.subscribe(STORE_PREFIX, (_key, value) => {
      if (isSharedHealth(value) && value.origin !== this.instanceId) this.adopt(value.status);
    });
  }

  /** Config reload: keeps the state of providers that remain, forgets removed ones. */
  setTargets(targets: HealthTarget[]): void {
    const next = new Map(targets.map((target) => [target.providerId, target]));
    for (const providerId of this.targets.keys()) {
      if (next.has(providerId)) continue;
      this.cancel(providerId);
      this.health.delete(providerId);
      this.forgetModels(providerId);
      this.metrics?.removeProvider(providerId);
    }
    const added = [...next.keys()].filter((providerId) => !this.targets.has(providerId));
    this.targets = next;
    if (this.started) for (const providerId of added) this.schedule(providerId, 0);
  }

  /** Changes how long real traffic keeps a failing provider (or model) out (config reload). */
  setEjectionMs(ejectionMs: number): void {
    this.ejectionMs = ejectionMs;
  }

  /** Checks every target now, then each on its own interval with ±10% jitter. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const providerId of this.targets.keys()) this.schedule(providerId, 0);
  }

  /** Cancels timers and in-flight checks; state is kept. */
  stop(): void {
    this.started = false;
    for (const providerId of [...this.timers.keys(), ...this.running.keys()])
      this.cancel(providerId);
  }

  /** Stops and stops following other instances. */
  close(): void {
    this.stop();
    this.unsubscribe?.();
  }

  /**
   * Runs a check now: the custom healthCheck when configured, else the adapter probe. Never
   * throws. A check already running for the provider is shared rather than started twice.
   */
  check(providerId: string): Promise<HealthStatus> {
    const inFlight = this.running.get(providerId);
    if (inFlight !== undefined) return inFlight.promise;
    const target = this.targets.get(providerId);
    if (target === undefined) {
      return Promise.resolve({
        providerId,
        isHealthy: false,
        error: `Provider ${providerId} is not monitored`,
        consecutiveFailures: 0,
        source: 'none',
      });
    }
    const controller = new AbortController();
    const promise = this.runCheck(target, controller.signal)
      .then((result) => {
        if (
          result === undefined ||
          controller.signal.aborted ||
          this.targets.get(providerId) !== target
        ) {
          return this.status(providerId);
        }
        return this.applyCheck(providerId, result);
      })
      .catch(() => this.status(providerId))
      .finally(() => {
        if (this.running.get(providerId)?.controller === controller)
          this.running.delete(providerId);
      });
    this.running.set(providerId, { promise, controller });
    return promise;
  }

  /** Synchronous; unknown providers are healthy with source `none` (optimistic until proven otherwise). */
  status(providerId: string): HealthStatus {
    const state = this.health.get(providerId);
    return state === undefined ? unknownStatus(providerId) : { ...state.status };
  }

  all(): HealthStatus[] {
    const ids = new Set([...this.targets.keys(), ...this.health.keys()]);
    return [...ids].map((providerId) => this.status(providerId));
  }

  /**
   * Whether a provider model may take a request: not while an active check failed (the next
   * check decides), nor while real traffic ejected the provider or the model. A traffic ejection
   * always expires; the next request then re-tests it, and one more failure ejects it again.
   */
  availability(providerId: string, model?: string): Availability {
    const now = this.clock.now();
    const state = this.health.get(providerId);
    const { status } = state ?? { status: unknownStatus(providerId) };
    if (!status.isHealthy && status.source !== 'traffic') {
      // With checks running the next one decides; without, a failed check expires like traffic.
      if (this.started) return this.unavailable(status.error, this.intervalMs);
      const until = (status.lastCheckedAt ?? now) + this.ejectionMs;
      if (until > now) return this.unavailable(status.error, until - now);
    }
    if (state?.ejectedUntil !== undefined && state.ejectedUntil > now)
      return this.unavailable(status.error, state.ejectedUntil - now);
    const modelHealth =
      model === undefined ? undefined : this.models.get(modelKey(providerId, model));
    if (modelHealth?.ejectedUntil !== undefined && modelHealth.ejectedUntil > now)
      return this.unavailable(modelHealth.error, modelHealth.ejectedUntil - now);
    return { available: true };
  }

  /**
   * Passive signal from real traffic. Failures whose kind marks a provider unhealthy (see
   * `ERROR_POLICY`: connection, timeout, server, overloaded, auth, not_found) count — against
   * the model when one is given and the kind is not provider-wide; successes restore health;
   * other failures (a 429, a bad request) are neutral.
   */
  recordOutcome(providerId: string, outcome: TrafficOutcome): void {
    if (outcome.ok) {
      this.recordTrafficSuccess(providerId, outcome);
      return;
    }
    if (outcome.kind === undefined || !ERROR_POLICY[outcome.kind].marksUnhealthy) return;
    if (outcome.model !== undefined && !ERROR_POLICY[outcome.kind].providerWide)
      this.recordModelFailure(providerId, outcome.model, outcome.message ?? outcome.kind);
    else this.recordProviderFailure(providerId, outcome.message ?? outcome.kind);
  }

  private recordTrafficSuccess(providerId: string, outcome: TrafficOutcome): void {
    if (outcome.model !== undefined) this.models.delete(modelKey(providerId, outcome.model));
    const state = this.stateOf(providerId);
    const { status } = state;
    state.trafficLatency = ewma(state.trafficLatency, outcome.latencyMs);
    state.ejectedUntil = undefined;
    const wasHealthy = status.isHealthy;
    status.consecutiveFailures = 0;
    delete status.error;
    if (wasHealthy) return;
    status.isHealthy = true;
    status.responseTime = outcome.latencyMs;
    status.lastCheckedAt = this.clock.now();
    status.source = 'traffic';
    this.announce(status);
  }

  private recordProviderFailure(providerId: string, error: string): void {
    const state = this.stateOf(providerId);
    const { status } = state;
    const now = this.clock.now();
    status.consecutiveFailures++;
    status.error = error;
    if (status.consecutiveFailures < TRAFFIC_FAILURES_TO_UNHEALTHY) return;
    state.ejectedUntil = now + this.ejectionMs;
    if (!status.isHealthy) return;
    status.isHealthy = false;
    delete status.responseTime;
    status.lastCheckedAt = now;
    status.source = 'traffic';
    this.announce(status);
  }

  private recordModelFailure(providerId: string, model: string, error: string): void {
    const key = modelKey(providerId, model);
    const health = this.models.get(key) ?? {
      consecutiveFailures: 0,
      error: undefined,
      ejectedUntil: undefined,
    };
    health.consecutiveFailures++;
    health.error = error;
    if (health.consecutiveFailures >= TRAFFIC_FAILURES_TO_UNHEALTHY)
      health.ejectedUntil = this.clock.now() + this.ejectionMs;
    this.models.set(key, health);
  }

  private forgetModels(providerId: string): void {
    const prefix = modelKey(providerId, '');
    for (const key of this.models.keys()) if (key.startsWith(prefix)) this.models.delete(key);
  }

  private unavailable(error: string | undefined, retryAfterMs: number | undefined): Availability {
    return {
      available: false,
      error: error ?? 'failed its last health check',
      retryAfterMs,
    };
  }

  /**
   * Decaying (EWMA) latency average in ms used by the health-based strategy; undefined until
   * measured. Real traffic is what the strategy compares, so probes only stand in until a
   * provider has served requests.
   */
  latencyEstimate(providerId: string): number | undefined {
    const state = this.health.get(providerId);
    return state?.trafficLatency ?? state?.probeLatency;
  }

  private schedule(providerId: string, delayMs: number): void {
    const existing = this.timers.get(providerId);
    if (existing !== undefined) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(providerId);
      void this.check(providerId).then(() => {
        if (this.started && this.targets.has(providerId) && !this.timers.has(providerId)) {
          this.schedule(providerId, this.jitteredInterval());
        }
      });
    }, delayMs);
    // Health checks alone must not keep a process alive.
    timer.unref?.();
    this.timers.set(providerId, timer);
  }

  private jitteredInterval(): number {
    return Math.round(this.intervalMs * (1 - JITTER_RATIO + 2 * JITTER_RATIO * this.random()));
  }

  private cancel(providerId: string): void {
    const timer = this.timers.get(providerId);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(providerId);
    this.running.get(providerId)?.controller.abort(new Error('health check cancelled'));
    this.running.delete(providerId);
  }

  private runCheck(target: HealthTarget, signal: AbortSignal): Promise<CheckResult | undefined> {
    const custom = target.healthCheck ?? this.defaultHealthCheck;
    if (custom !== undefined) return this.customCheck(target, custom, signal);
    const probe = target.probe;
    if (probe !== undefined) return this.probeCheck(probe, signal);
    return Promise.resolve(undefined);
  }

  private async customCheck(
    target: HealthTarget,
    check: HealthCheckConfig,
    signal: AbortSignal,
  ): Promise<CheckResult> {
    const url = resolveHealthCheckUrl(check.url, target.endpoint);
    if (url === undefined) {
      return {
        ok: false,
        latencyMs: 0,
        source: 'custom',
        error: 'healthCheck.url is relative but the provider has no endpoint',
      };
    }
    // Health errors reach /health/providers, logs and the database: the origin only.
    const shown = urlOrigin(url);
    const startedAt = this.clock.now();
    try {
      const response = await this.withTimeout(check.timeout, signal, (checkSignal) =>
        this.fetch(url, { method: check.method, signal: checkSignal }),
      );
      const latencyMs = this.clock.now() - startedAt;
      // The body is not needed; cancelling it frees the pooled connection.
      await response.body?.cancel().catch(() => undefined);
      if (response.status !== check.expectedStatus) {
        return {
          ok: false,
          latencyMs,
          source: 'custom',
          error: `${check.method} ${shown} answered ${response.status}, expected ${check.expectedStatus}`,
        };
      }
      return { ok: true, latencyMs, source: 'custom' };
    } catch (error) {
      const latencyMs = this.clock.now() - startedAt;
      const message =
        error instanceof CheckTimeoutError
          ? `${check.method} ${shown} did not answer within ${check.timeout} ms`
          : `${check.method} ${shown} failed: ${describeError(error)}`;
      return { ok: false, latencyMs, source: 'custom', error: message };
    }
  }

  private async probeCheck(
    probe: (options: CallOptions) => Promise<ProbeResult>,
    signal: AbortSignal,
  ): Promise<CheckResult> {
    const startedAt = this.clock.now();
    try {
      const result = await this.withTimeout(this.timeoutMs, signal, (probeSignal) =>
        probe({ signal: probeSignal, deadline: startedAt + this.timeoutMs }),
      );
      return { ok: true, latencyMs: result.latencyMs, source: 'probe' };
    } catch (error) {
      const latencyMs = this.clock.now() - startedAt;
      const message =
        error instanceof CheckTimeoutError
          ? `probe did not answer within ${this.timeoutMs} ms`
          : describeError(error);
      return { ok: false, latencyMs, source: 'probe', error: message };
    }
  }

  /**
   * Runs `work` with its own abort signal that fires on `timeoutMs` or when `parent` aborts, and
   * settles by then even if `work` ignores the signal, so a stuck check cannot block the next.
   */
  private async withTimeout<T>(
    timeoutMs: number,
    parent: AbortSignal,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    try {
      if (parent.aborted) throw parent.reason;
      const result = await raceDeadline(work(controller.signal), timeoutMs, undefined, {
        signal: parent,
        unref: true,
      });
      if (result === TIMED_OUT) throw new CheckTimeoutError(`timed out after ${timeoutMs} ms`);
      return result;
    } catch (reason) {
      controller.abort(reason);
      throw reason instanceof Error ? reason : new Error(String(reason));
    }
  }

  private applyCheck(providerId: string, result: CheckResult): HealthStatus {
    const state = this.stateOf(providerId);
    const { status } = state;
    status.isHealthy = result.ok;
    status.lastCheckedAt = this.clock.now();
    status.source = result.source;
    if (result.ok) {
      state.ejectedUntil = undefined;
      status.responseTime = result.latencyMs;
      status.consecutiveFailures = 0;
      delete status.error;
      state.probeLatency = ewma(state.probeLatency, result.latencyMs);
    } else {
      delete status.responseTime;
      status.consecutiveFailures++;
      status.error = result.error ?? 'health check failed';
    }
    this.announce(status);
    return { ...status };
  }

  private announce(status: HealthStatus): void {
    this.metrics?.setHealth(status.providerId, status.isHealthy, status.responseTime);
    this.events?.emit('health', {
      provider: status.providerId,
      isHealthy: status.isHealthy,
      ...(status.responseTime === undefined ? {} : { responseTime: status.responseTime }),
      ...(status.error === undefined ? {} : { error: status.error }),
      checkedAt: status.lastCheckedAt ?? this.clock.now(),
    });
    const store = this.store;
    if (store === undefined) return;
    const shared: SharedHealth = { origin: this.instanceId, status: { ...status } };
    // Expires when no instance has refreshed it for a few intervals.
    writeInBackground(() =>
      store.set(STORE_PREFIX + encodeURIComponent(status.providerId), shared, this.intervalMs * 3),
    );
  }

  /** Takes over another instance's newer result for a provider this instance monitors too. */
  private adopt(remote: HealthStatus): void {
    if (!this.targets.has(remote.providerId) && !this.health.has(remote.providerId)) return;
    const state = this.stateOf(remote.providerId);
    if ((remote.lastCheckedAt ?? 0) <= (state.status.lastCheckedAt ?? 0)) return;
    const changed = state.status.isHealthy !== remote.isHealthy;
    state.status = { ...remote };
    this.metrics?.setHealth(remote.providerId, remote.isHealthy, remote.responseTime);
    if (changed) {
      this.events?.emit('health', {
        provider: remote.providerId,
        isHealthy: remote.isHealthy,
        ...(remote.responseTime === undefined ? {} : { responseTime: remote.responseTime }),
        ...(remote.error === undefined ? {} : { error: remote.error }),
        checkedAt: remote.lastCheckedAt ?? this.clock.now(),
      });
    }
  }

  private stateOf(providerId: string): ProviderHealth {
    let state = this.health.get(providerId);
    if (state === undefined) {
      state = {
        status: unknownStatus(providerId),
        trafficLatency: undefined,
        probeLatency: undefined,
        ejectedUntil: undefined,
      };
      this.health.set(providerId, state);
    }
    return state;
  }
}

function modelKey(providerId: string, model: string): string {
  return `${providerId}\u0000${model}`;
}

function ewma(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + LATENCY_EWMA_ALPHA * (sample - previous);
}
