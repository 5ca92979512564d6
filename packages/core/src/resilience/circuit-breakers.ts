// Circuit breakers per provider and per provider model. The router asks `decide` synchronously
// on the hot path; transitions are written to the StateStore so other instances follow them.
// On a shared store (multi-instance mode) a half-open circuit's probes belong to one instance of
// the fleet: the one whose `setIfAbsent` claimed the period's probe lease, taken ahead of time
// when the cooldown ends, so that `decide` stays synchronous. The store away, each instance
// probes on its own, as a single instance does.
import type { CircuitBreakerSettings } from '../config/config-schema.ts';
import { configSchema } from '../config/config-schema.ts';
import type { GatewayEvents } from '../metrics/gateway-events.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { ERROR_POLICY } from '../spec/error-policy.ts';
import type { UpstreamErrorKind } from '../spec/errors.ts';
import type { CircuitState } from '../spec/provider-health.ts';
import type { StateStore } from '../state/state-store.ts';
import { newInstanceId, writeInBackground } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';

export type { CircuitState };

export interface CircuitDecision {
  allowed: boolean;
  state: CircuitState;
  /** When open: ms until a probe is allowed. */
  retryAfterMs?: number;
  /** 0..1 share of traffic during slow start (1 = full). */
  weight: number;
}

export interface CircuitSnapshot {
  provider: string;
  model?: string;
  state: CircuitState;
  consecutiveFailures: number;
  openedAt?: number;
  retryAt?: number;
  /** Current share of traffic (below 1 during slow start, 0 while open). */
  weight: number;
}

export interface CircuitBreakersOptions {
  settings?: Partial<CircuitBreakerSettings>;
  clock?: Clock;
  store?: StateStore;
  events?: GatewayEvents;
  metrics?: GatewayMetrics;
  /**
   * How long a probe slot granted by `decide` stays taken when neither an outcome nor `release`
   * comes back (a caller that decided but never called). Default 30 s.
   */
  probeLeaseMs?: number;
}

export const DEFAULT_CIRCUIT_BREAKER_SETTINGS: Readonly<CircuitBreakerSettings> =
  configSchema.shape.circuitBreaker.unwrap().parse({});

/** Share of traffic right after recovery; it ramps linearly to 1 over `slowStartMs`. */
const SLOW_START_INITIAL_WEIGHT = 0.1;
const DEFAULT_PROBE_LEASE_MS = 30_000;
/** The error-ratio window is kept as this many buckets, so memory stays constant under load. */
const WINDOW_BUCKETS = 10;
const STORE_PREFIX = 'circuit:';
/** Fleet probe leases live apart from the published states, so their writes reach no subscriber. */
const PROBE_PREFIX = 'circuit-probe:';
/**
 * An instance without the fleet's probe lease tries to claim it again at most this often while
 * the circuit stays half-open (the holder may have died), and tells callers to retry after it.
 */
const PROBE_CLAIM_RETRY_MS = 1_000;

const SEVERITY: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

interface Bucket {
  index: number;
  successes: number;
  failures: number;
}

/** Successes and failures over a sliding window, in fixed buckets. */
class OutcomeWindow {
  private readonly buckets: Bucket[] = [];

  constructor(private readonly bucketMs: number) {}

  record(now: number, ok: boolean): void {
    const index = Math.floor(now / this.bucketMs);
    const slot = index % WINDOW_BUCKETS;
    let bucket = this.buckets[slot];
    if (bucket === undefined || bucket.index !== index) {
      bucket = { index, successes: 0, failures: 0 };
      this.buckets[slot] = bucket;
    }
    if (ok) bucket.successes++;
    else bucket.failures++;
  }

  totals(now: number): { total: number; failures: number } {
    const current = Math.floor(now / this.bucketMs);
    let total = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      if (
        bucket === undefined ||
        current - bucket.index >= WINDOW_BUCKETS ||
        bucket.index > current
      )
        continue;
      total += bucket.successes + bucket.failures;
      failures += bucket.failures;
    }
    return { total, failures };
  }
}

interface Circuit {
  readonly key: string;
  readonly provider: string;
  readonly model: string | undefined;
  state: CircuitState;
  consecutiveFailures: number;
  window: OutcomeWindow;
  openedAt: number | undefined;
  retryAt: number | undefined;
  /** The cooldown of the latest opening; 0 before the first. */
  cooldownMs: number;
  /** When the circuit last closed after a probe: the start of slow start. */
  closedAt: number | undefined;
  /** Expiry times of probe slots handed out while half-open. */
  probeLeases: number[];
  /** Fleet mode: until when this instance holds the probe lease of the current cooldown's end. */
  probeLeaseUntil: number | undefined;
  /** Fleet mode: a claim of the probe lease is in flight. */
  claiming: boolean;
  /** Fleet mode: when the probe lease was last claimed, to space out retries. */
  claimedAt: number | undefined;
  /** Fleet mode: the claim scheduled for the end of the cooldown. */
  claimTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the state last changed, to order updates from other instances; 0 = never. */
  changedAt: number;
}

/** What one instance publishes about a circuit. */
interface SharedCircuitState {
  origin: string;
  provider: string;
  model?: string;
  state: CircuitState;
  openedAt?: number;
  retryAt?: number;
  cooldownMs: number;
  closedAt?: number;
  changedAt: number;
}

function isSharedCircuitState(value: unknown): value is SharedCircuitState {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SharedCircuitState>;
  return (
    typeof record.origin === 'string' &&
    typeof record.provider === 'string' &&
    (record.state === 'closed' || record.state === 'open' || record.state === 'half-open') &&
    typeof record.changedAt === 'number' &&
    typeof record.cooldownMs === 'number'
  );
}

function circuitKey(provider: string, model: string | undefined): string {
  const encoded = encodeURIComponent(provider);
  return model === undefined ? encoded : `${encoded}|${encodeURIComponent(model)}`;
}

function withoutUndefined<T extends object>(partial: Partial<T> | undefined): Partial<T> {
  const result: Partial<T> = {};
  for (const [name, value] of Object.entries(partial ?? {})) {
    if (value !== undefined) (result as Record<string, unknown>)[name] = value;
  }
  return result;
}

export class CircuitBreakers {
  private settings: CircuitBreakerSettings;
  private readonly clock: Clock;
  private readonly store: StateStore | undefined;
  private readonly events: GatewayEvents | undefined;
  private readonly metrics: GatewayMetrics | undefined;
  private readonly probeLeaseMs: number;
  /** Whether the store is shared with other instances: then half-open probes are the fleet's. */
  private readonly fleet: boolean;
  private readonly instanceId = newInstanceId();
  private readonly circuits = new Map<string, Circuit>();
  private readonly unsubscribe: (() => void) | undefined;

  constructor(options: CircuitBreakersOptions = {}) {
    this.settings = { ...DEFAULT_CIRCUIT_BREAKER_SETTINGS, ...withoutUndefined(options.settings) };
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
    this.events = options.events;
    this.metrics = options.metrics;
    this.probeLeaseMs = options.probeLeaseMs ?? DEFAULT_PROBE_LEASE_MS;
    this.fleet = this.store?.shared === true;
    this.unsubscribe = this.store?.subscribe(STORE_PREFIX, (_key, value) => {
      if (isSharedCircuitState(value) && value.origin !== this.instanceId) this.adopt(value);
    });
  }

  /** Applies new settings (config reload). Error-ratio windows restart when the window length changes. */
  configure(settings: Partial<CircuitBreakerSettings> | undefined): void {
    const next = { ...DEFAULT_CIRCUIT_BREAKER_SETTINGS, ...withoutUndefined(settings) };
    const windowChanged = next.windowMs !== this.settings.windowMs;
    this.settings = next;
    if (!windowChanged) return;
    for (const circuit of this.circuits.values()) circuit.window = this.newWindow();
  }

  /**
   * Synchronous: may this provider (and, if given, this provider model) take a request now?
   * Checks both the provider circuit and the provider-model circuit. A half-open circuit admits
   * `halfOpenProbes` concurrent probes: an allowed decision on a half-open circuit takes a probe
   * slot, which the outcome (`onSuccess`/`onFailure`) or `release` gives back. Use `peek` to look
   * without taking a slot.
   */
  decide(provider: string, model?: string): CircuitDecision {
    return this.evaluate(provider, model, true);
  }

  /** Like `decide`, but takes no probe slot: for filtering and ordering candidates. */
  peek(provider: string, model?: string): CircuitDecision {
    return this.evaluate(provider, model, false);
  }

  /** Gives back a probe slot that `decide` granted for a request that was never sent. */
  release(provider: string, model?: string): void {
    for (const circuit of this.existingCircuits(provider, model)) {
      if (circuit.state === 'half-open') circuit.probeLeases.shift();
    }
  }

  onSuccess(provider: string, model: string | undefined, _latencyMs: number): void {
    const now = this.clock.now();
    for (const circuit of this.circuitsFor(provider, model)) {
      this.refresh(circuit, now);
      switch (circuit.state) {
        case 'open':
          // A request admitted before the circuit opened; the cooldown still stands.
          break;
        case 'half-open':
          circuit.probeLeases.shift();
          this.closeCircuit(circuit, now, 'probe succeeded');
          break;
        case 'closed':
          circuit.consecutiveFailures = 0;
          circuit.window.record(now, true);
          break;
      }
    }
  }

  /**
   * Only kinds that count against the provider are charged (see `ERROR_POLICY`). Provider-wide
   * kinds (connection, auth) reach every circuit of the provider; the others are charged to the
   * model's circuit only, so one broken deployment does not take the provider's other models down.
   */
  onFailure(provider: string, model: string | undefined, kind: UpstreamErrorKind): void {
    const now = this.clock.now();
    const policy = ERROR_POLICY[kind];
    for (const circuit of this.circuitsFor(provider, model)) {
      this.refresh(circuit, now);
      const charged =
        policy.countsAgainstProvider &&
        (circuit.model !== undefined || model === undefined || policy.providerWide);
      switch (circuit.state) {
        case 'open':
          break;
        case 'half-open':
          circuit.probeLeases.shift();
          if (charged) this.open(circuit, now, true, `probe failed (${kind})`);
          break;
        case 'closed':
          if (charged) this.recordFailure(circuit, now);
          break;
      }
    }
  }

  state(provider: string, model?: string): CircuitState {
    const circuit = this.circuits.get(circuitKey(provider, model));
    if (circuit === undefined) return 'closed';
    this.refresh(circuit, this.clock.now());
    return circuit.state;
  }

  /**
   * The provider's state as one word: the worst of its provider-wide circuit and its model
   * circuits (open when any is open), as health views report it.
   */
  providerState(provider: string): CircuitState {
    const now = this.clock.now();
    let state: CircuitState = 'closed';
    for (const circuit of this.circuits.values()) {
      if (circuit.provider !== provider) continue;
      this.refresh(circuit, now);
      if (SEVERITY[circuit.state] > SEVERITY[state]) state = circuit.state;
    }
    return state;
  }

  snapshot(): CircuitSnapshot[] {
    const now = this.clock.now();
    return [...this.circuits.values()].map((circuit) => {
      this.refresh(circuit, now);
      return {
        provider: circuit.provider,
        ...(circuit.model === undefined ? {} : { model: circuit.model }),
        state: circuit.state,
        consecutiveFailures: circuit.consecutiveFailures,
        ...(circuit.state === 'closed' || circuit.openedAt === undefined
          ? {}
          : { openedAt: circuit.openedAt }),
        ...(circuit.state === 'closed' || circuit.retryAt === undefined
          ? {}
          : { retryAt: circuit.retryAt }),
        weight: this.weightOf(circuit, now),
      };
    });
  }

  /** Closes every circuit (or a provider's circuits, including its models') without slow start. */
  reset(provider?: string): void {
    const now = this.clock.now();
    for (const circuit of this.circuits.values()) {
      if (provider !== undefined && circuit.provider !== provider) continue;
      const from = circuit.state;
      circuit.state = 'closed';
      circuit.consecutiveFailures = 0;
      circuit.window = this.newWindow();
      circuit.openedAt = undefined;
      circuit.retryAt = undefined;
      circuit.cooldownMs = 0;
      circuit.closedAt = undefined;
      circuit.probeLeases = [];
      this.forgetProbeLease(circuit);
      circuit.changedAt = now;
      this.announce(circuit, from, 'reset');
      this.publish(circuit);
    }
  }

  /** Stops following other instances' changes and claiming probe leases. */
  close(): void {
    this.unsubscribe?.();
    for (const circuit of this.circuits.values()) this.forgetProbeLease(circuit);
  }

  private evaluate(
    provider: string,
    model: string | undefined,
    takeProbe: boolean,
  ): CircuitDecision {
    const now = this.clock.now();
    const circuits = this.circuitsFor(provider, model);
    let state: CircuitState = 'closed';
    let blocked = false;
    let retryAfterMs: number | undefined;
    let weight = 1;
    for (const circuit of circuits) {
      this.refresh(circuit, now);
      if (this.fleet) this.retryProbeClaim(circuit, now);
      if (SEVERITY[circuit.state] > SEVERITY[state]) state = circuit.state;
      const wait = this.waitOf(circuit, now);
      if (wait !== undefined) {
        blocked = true;
        retryAfterMs = Math.max(retryAfterMs ?? 0, wait);
      }
      weight = Math.min(weight, this.weightOf(circuit, now));
    }
    if (blocked) {
      return {
        allowed: false,
        state,
        weight: 0,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    if (takeProbe) {
      for (const circuit of circuits) {
        if (circuit.state === 'half-open') circuit.probeLeases.push(now + this.probeLeaseMs);
      }
    }
    return { allowed: true, state, weight };
  }

  /** Ms until this circuit admits a request, or undefined when it admits one now. */
  private waitOf(circuit: Circuit, now: number): number | undefined {
    if (circuit.state === 'open') return Math.max(0, (circuit.retryAt ?? now) - now);
    // Another instance of the fleet holds the probe: its outcome will reach us.
    if (circuit.state === 'half-open' && this.fleet && !this.holdsProbeLease(circuit, now))
      return PROBE_CLAIM_RETRY_MS;
    if (
      circuit.state === 'half-open' &&
      circuit.probeLeases.length >= this.settings.halfOpenProbes
    ) {
      const earliest = Math.min(...circuit.probeLeases);
      return Math.max(0, earliest - now);
    }
    return undefined;
  }

  private weightOf(circuit: Circuit, now: number): number {
    if (circuit.state === 'open') return 0;
    // A half-open circuit gets probe traffic only: the smallest share.
    if (circuit.state === 'half-open') return SLOW_START_INITIAL_WEIGHT;
    const { slowStartMs } = this.settings;
    if (circuit.closedAt === undefined || slowStartMs <= 0) return 1;
    const progress = (now - circuit.closedAt) / slowStartMs;
    if (progress >= 1) return 1;
    return SLOW_START_INITIAL_WEIGHT + (1 - SLOW_START_INITIAL_WEIGHT) * Math.max(0, progress);
  }

  /** Lazy time-driven transitions: cooldown elapsed → half-open; abandoned probe slots expire. */
  private refresh(circuit: Circuit, now: number): void {
    if (circuit.state === 'open' && circuit.retryAt !== undefined && now >= circuit.retryAt) {
      circuit.state = 'half-open';
      circuit.probeLeases = [];
      circuit.changedAt = now;
      // Not published: every instance reaches half-open by itself from the shared retryAt.
      this.announce(circuit, 'open', 'cooldown elapsed');
    }
    if (circuit.state === 'half-open' && circuit.probeLeases.length > 0) {
      circuit.probeLeases = circuit.probeLeases.filter((expiresAt) => expiresAt > now);
    }
  }

  private closeCircuit(circuit: Circuit, now: number, reason: string): void {
    const from = circuit.state;
    circuit.state = 'closed';
    circuit.consecutiveFailures = 0;
    circuit.window = this.newWindow();
    circuit.openedAt = undefined;
    circuit.retryAt = undefined;
    circuit.closedAt = now;
    circuit.probeLeases = [];
    this.forgetProbeLease(circuit);
    circuit.changedAt = now;
    this.announce(circuit, from, reason);
    this.publish(circuit);
  }

  private recordFailure(circuit: Circuit, now: number): void {
    circuit.consecutiveFailures++;
    circuit.window.record(now, false);
    const { consecutiveFailures, errorRatio, minimumRequests } = this.settings;
    if (circuit.consecutiveFailures >= consecutiveFailures) {
      this.open(
        circuit,
        now,
        this.stillRecovering(circuit, now),
        `${circuit.consecutiveFailures} consecutive failures`,
      );
      return;
    }
    const { total, failures } = circuit.window.totals(now);
    if (total >= minimumRequests && failures / total >= errorRatio) {
      const percent = Math.round((failures / total) * 100);
      this.open(
        circuit,
        now,
        this.stillRecovering(circuit, now),
        `error ratio ${percent}% over ${total} requests`,
      );
    }
  }

  /** A circuit that fails again before slow start completed is flapping: its cooldown keeps growing. */
  private stillRecovering(circuit: Circuit, now: number): boolean {
    return circuit.closedAt !== undefined && now - circuit.closedAt < this.settings.slowStartMs;
  }

  private open(circuit: Circuit, now: number, escalate: boolean, reason: string): void {
    const { cooldownMs, maxCooldownMs } = this.settings;
    const from = circuit.state;
    circuit.cooldownMs =
      escalate && circuit.cooldownMs > 0
        ? Math.min(circuit.cooldownMs * 2, maxCooldownMs)
        : Math.min(cooldownMs, maxCooldownMs);
    circuit.state = 'open';
    circuit.openedAt = now;
    circuit.retryAt = now + circuit.cooldownMs;
    circuit.consecutiveFailures = 0;
    circuit.window = this.newWindow();
    circuit.probeLeases = [];
    circuit.changedAt = now;
    this.scheduleProbeClaim(circuit, now);
    this.announce(circuit, from, reason);
    this.publish(circuit);
  }

  // ---- the fleet's probe lease ----

  /** Claims the probe lease when the cooldown ends, so the first request after it finds it held. */
  private scheduleProbeClaim(circuit: Circuit, now: number): void {
    this.forgetProbeLease(circuit);
    if (!this.fleet || circuit.state !== 'open' || circuit.retryAt === undefined) return;
    const timer = setTimeout(() => this.claimProbeLease(circuit), circuit.retryAt - now);
    timer.unref?.();
    circuit.claimTimer = timer;
  }

  /** A half-open circuit whose probe lease nobody here holds: claim it again, spaced out. */
  private retryProbeClaim(circuit: Circuit, now: number): void {
    if (circuit.state !== 'half-open' || this.holdsProbeLease(circuit, now)) return;
    if (circuit.claimedAt !== undefined && now - circuit.claimedAt < PROBE_CLAIM_RETRY_MS) return;
    this.claimProbeLease(circuit);
  }

  /**
   * One lease per cooldown end (its `retryAt` names it), expiring like a local probe slot, so a
   * holder that dies frees it. The store away, this instance probes on its own.
   */
  private claimProbeLease(circuit: Circuit): void {
    const store = this.store;
    const period = circuit.retryAt;
    if (store === undefined || period === undefined || circuit.claiming) return;
    circuit.claiming = true;
    circuit.claimedAt = this.clock.now();
    const settle = (held: boolean) => {
      circuit.claiming = false;
      // The circuit moved on meanwhile (closed, or opened again): this lease is of no use.
      if (!held || circuit.retryAt !== period || circuit.state === 'closed') return;
      circuit.probeLeaseUntil = this.clock.now() + this.probeLeaseMs;
    };
    const key = `${PROBE_PREFIX}${circuit.key}|${period}`;
    let claim: Promise<boolean>;
    try {
      claim = store.setIfAbsent(key, this.instanceId, this.probeLeaseMs);
    } catch {
      claim = Promise.reject(new Error('store unreachable'));
    }
    claim.then(settle, () => settle(true));
  }

  private holdsProbeLease(circuit: Circuit, now: number): boolean {
    return circuit.probeLeaseUntil !== undefined && circuit.probeLeaseUntil > now;
  }

  private forgetProbeLease(circuit: Circuit): void {
    if (circuit.claimTimer !== undefined) clearTimeout(circuit.claimTimer);
    circuit.claimTimer = undefined;
    circuit.probeLeaseUntil = undefined;
    circuit.claimedAt = undefined;
  }

  private announce(circuit: Circuit, from: CircuitState, reason: string): void {
    this.metrics?.setCircuitState(circuit.provider, circuit.model, circuit.state);
    if (from === circuit.state) return;
    this.events?.emit('circuit', {
      provider: circuit.provider,
      ...(circuit.model === undefined ? {} : { model: circuit.model }),
      from,
      to: circuit.state,
      reason,
    });
  }

  private publish(circuit: Circuit): void {
    const store = this.store;
    if (store === undefined) return;
    const shared: SharedCircuitState = {
      origin: this.instanceId,
      provider: circuit.provider,
      ...(circuit.model === undefined ? {} : { model: circuit.model }),
      state: circuit.state,
      ...(circuit.openedAt === undefined ? {} : { openedAt: circuit.openedAt }),
      ...(circuit.retryAt === undefined ? {} : { retryAt: circuit.retryAt }),
      cooldownMs: circuit.cooldownMs,
      ...(circuit.closedAt === undefined ? {} : { closedAt: circuit.closedAt }),
      changedAt: circuit.changedAt,
    };
    // Kept as long as the state can still matter: a full cooldown, slow start and one window.
    const { maxCooldownMs, slowStartMs, windowMs } = this.settings;
    const ttlMs = maxCooldownMs + slowStartMs + windowMs;
    writeInBackground(() => store.set(STORE_PREFIX + circuit.key, shared, ttlMs));
  }

  /** Takes over a state another instance published, unless ours is newer. */
  private adopt(shared: SharedCircuitState): void {
    const circuit = this.circuitFor(shared.provider, shared.model, false);
    if (shared.changedAt < circuit.changedAt) return;
    const from = circuit.state;
    circuit.state = shared.state;
    circuit.openedAt = shared.openedAt;
    circuit.retryAt = shared.retryAt;
    circuit.cooldownMs = shared.cooldownMs;
    circuit.closedAt = shared.closedAt;
    circuit.consecutiveFailures = 0;
    circuit.window = this.newWindow();
    circuit.probeLeases = [];
    circuit.changedAt = shared.changedAt;
    this.scheduleProbeClaim(circuit, this.clock.now());
    this.announce(circuit, from, 'changed by another instance');
  }

  private circuitsFor(provider: string, model: string | undefined): Circuit[] {
    const providerCircuit = this.circuitFor(provider, undefined, true);
    return model === undefined
      ? [providerCircuit]
      : [providerCircuit, this.circuitFor(provider, model, true)];
  }

  private existingCircuits(provider: string, model: string | undefined): Circuit[] {
    const keys =
      model === undefined
        ? [circuitKey(provider, undefined)]
        : [circuitKey(provider, undefined), circuitKey(provider, model)];
    return keys.flatMap((key) => this.circuits.get(key) ?? []);
  }

  private circuitFor(provider: string, model: string | undefined, hydrate: boolean): Circuit {
    const key = circuitKey(provider, model);
    let circuit = this.circuits.get(key);
    if (circuit !== undefined) return circuit;
    circuit = {
      key,
      provider,
      model,
      state: 'closed',
      consecutiveFailures: 0,
      window: this.newWindow(),
      openedAt: undefined,
      retryAt: undefined,
      cooldownMs: 0,
      closedAt: undefined,
      probeLeases: [],
      probeLeaseUntil: undefined,
      claiming: false,
      claimedAt: undefined,
      claimTimer: undefined,
      changedAt: 0,
    };
    this.circuits.set(key, circuit);
    this.metrics?.setCircuitState(provider, model, 'closed');
    const store = this.store;
    if (hydrate && store !== undefined) {
      // A fresh instance picks up what the others already know about this circuit.
      writeInBackground(
        () => store.get<unknown>(STORE_PREFIX + key),
        (value) => {
          if (isSharedCircuitState(value)) this.adopt(value);
        },
      );
    }
    return circuit;
  }

  private newWindow(): OutcomeWindow {
    return new OutcomeWindow(Math.max(1, this.settings.windowMs / WINDOW_BUCKETS));
  }
}
