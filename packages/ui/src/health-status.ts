// Turns the gateway's per-provider health report into one status word for badges and grids.
import type { HealthStatus } from './types.ts';

export interface RawProviderHealth {
  isHealthy: boolean;
  responseTime?: number | null;
  /** The circuit breaker's state, when the gateway reports one. */
  circuit?: string | null;
  enabled?: boolean;
  lastCheckedAt?: string | Date | null;
}

/** Latency above this marks a healthy provider as degraded. */
export const DEGRADED_LATENCY_MS = 2_000;

export function deriveHealthStatus(
  health: RawProviderHealth | undefined,
  degradedAfterMs = DEGRADED_LATENCY_MS,
): HealthStatus {
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

export const HEALTH_LABELS: Record<HealthStatus, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  down: 'Down',
  'circuit-open': 'Circuit open',
  disabled: 'Disabled',
  unknown: 'Not checked yet',
};
