// Turns the gateway's per-provider health report into one status word for badges and grids.
import type { HealthVerdict, ProviderHealthSummary } from './types.ts';

/**
 * Core's health report (`ProviderHealthView`), or the same after a trip through JSON: times as
 * epoch ms or ISO strings, `null` for what is missing.
 */
export interface RawProviderHealth {
  isHealthy: boolean;
  responseTime?: number | null;
  /** The circuit breaker's state, when the gateway reports one. */
  circuit?: string | null;
  enabled?: boolean;
  lastCheckedAt?: number | string | Date | null;
}

/** One provider's raw report, as `toHealthSummary` reads it. */
export interface RawProviderHealthEntry extends RawProviderHealth {
  providerId: string;
  error?: string | null;
}

/** Latency above this marks a healthy provider as degraded. */
export const DEGRADED_LATENCY_MS = 2_000;

export function deriveHealthStatus(
  health: RawProviderHealth | undefined,
  degradedAfterMs = DEGRADED_LATENCY_MS,
): HealthVerdict {
  if (!health) return 'unknown';
  if (health.enabled === false) return 'disabled';
  const circuit = health.circuit?.toLowerCase().replace(/[_\s]/g, '-');
  if (circuit === 'open') return 'circuit-open';
  if (!health.isHealthy) return health.lastCheckedAt === null ? 'unknown' : 'down';
  if (circuit === 'half-open') return 'degraded';
  if (typeof health.responseTime === 'number' && health.responseTime > degradedAfterMs)
    return 'degraded';
  return 'healthy';
}

/** What a health card shows for one provider's raw report. */
export function toHealthSummary(entry: RawProviderHealthEntry): ProviderHealthSummary {
  return {
    providerId: entry.providerId,
    status: deriveHealthStatus(entry),
    latencyMs: entry.responseTime,
    lastCheckedAt:
      typeof entry.lastCheckedAt === 'number' ? new Date(entry.lastCheckedAt) : entry.lastCheckedAt,
    error: entry.error,
  };
}

export const HEALTH_LABELS: Record<HealthVerdict, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  down: 'Down',
  'circuit-open': 'Circuit open',
  disabled: 'Disabled',
  unknown: 'Not checked yet',
};
