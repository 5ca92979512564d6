// Provider health as core reports it: the health monitor's verdict, the per-provider view the
// gateway serves at /health/providers, and the result of a provider test. Types only, so
// @switchyard/ui and the apps read the same shapes core produces.

/** A circuit breaker's state for one provider. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What the latest verdict rests on: an adapter probe, the custom health check, real traffic, or nothing yet. */
export type HealthSource = 'probe' | 'custom' | 'traffic' | 'none';

/** The health monitor's current verdict on one provider. */
export interface HealthStatus {
  providerId: string;
  isHealthy: boolean;
  responseTime?: number;
  error?: string;
  lastCheckedAt?: number;
  consecutiveFailures: number;
  source: HealthSource;
}

/** One provider's health with what an operator needs beside it (name, type, circuit). */
export interface ProviderHealthView extends HealthStatus {
  name: string;
  type: string;
  enabled: boolean;
  circuit: CircuitState;
  /** Until when a Retry-After keeps the provider out of routing (epoch ms), while it does. */
  coolDownUntil?: number;
}

/** The outcome of checking one provider now (the seed's testProvider). */
export interface ProviderTestResult {
  providerId: string;
  ok: boolean;
  latencyMs?: number;
  check?: string;
  error?: string;
}
