// The long-lived parts a gateway is built from, wired to one clock, state store, event bus and
// metrics registry. They outlive config changes: an update reconfigures them, never rebuilds.
import type { GatewayConfig } from '../config/config-schema.ts';
import { KeyLimiter, ProviderLimiter } from '../limits/index.ts';
import { GatewayEvents, GatewayMetrics } from '../metrics/index.ts';
import { CircuitBreakers, HealthMonitor } from '../resilience/index.ts';
import { DEFAULT_CIRCUIT_BREAKER_SETTINGS } from '../resilience/circuit-breakers.ts';
import { MemoryStateStore, type SharedQuota, type StateStore } from '../state/index.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { systemRandom, type RandomSource } from '../util/random.ts';

export interface GatewayPartsOptions {
  config: GatewayConfig;
  clock?: Clock | undefined;
  random?: RandomSource | undefined;
  store?: StateStore | undefined;
  /** Multi-instance mode: the shared store that decides limits for the fleet. */
  quota?: SharedQuota | undefined;
  metrics?: GatewayMetrics | undefined;
  events?: GatewayEvents | undefined;
}

export interface GatewayParts {
  clock: Clock;
  random: RandomSource;
  store: StateStore;
  events: GatewayEvents;
  metrics: GatewayMetrics;
  circuits: CircuitBreakers;
  health: HealthMonitor;
  providerLimiter: ProviderLimiter;
  keyLimiter: KeyLimiter;
}

export function buildGatewayParts(options: GatewayPartsOptions): GatewayParts {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const store = options.store ?? new MemoryStateStore(clock);
  const events = options.events ?? new GatewayEvents();
  const metrics = options.metrics ?? new GatewayMetrics();
  const circuits = new CircuitBreakers({
    settings: config.circuitBreaker ?? {},
    clock,
    store,
    events,
    metrics,
  });
  const health = new HealthMonitor({
    intervalMs: config.healthCheckInterval,
    ...(config.healthCheck ? { defaultHealthCheck: config.healthCheck } : {}),
    ejectionMs: passiveEjectionMs(config),
    clock,
    random,
    events,
    metrics,
    store,
  });
  return {
    clock,
    random,
    store,
    events,
    metrics,
    circuits,
    health,
    providerLimiter: new ProviderLimiter({ clock, store, quota: options.quota }),
    keyLimiter: new KeyLimiter({ clock, store, quota: options.quota }),
  };
}

/** Passive ejection lasts as long as a circuit's first cooldown: one recovery rhythm for both. */
export function passiveEjectionMs(config: GatewayConfig): number {
  return config.circuitBreaker?.cooldownMs ?? DEFAULT_CIRCUIT_BREAKER_SETTINGS.cooldownMs;
}
