// The gateway's per-provider health report as plain data for the browser.
import type { ProviderHealthView } from '@switchyard/core';
import type { Services } from '../services.ts';

export interface ProviderHealthEntry {
  providerId: string;
  isHealthy: boolean;
  responseTime: number | null;
  error: string | null;
  lastCheckedAt: string | null;
  circuit: string;
  enabled: boolean;
}

export function toHealthEntry(view: ProviderHealthView): ProviderHealthEntry {
  return {
    providerId: view.providerId,
    isHealthy: view.isHealthy,
    responseTime: view.responseTime ?? null,
    error: view.error ?? null,
    lastCheckedAt:
      view.lastCheckedAt === undefined ? null : new Date(view.lastCheckedAt).toISOString(),
    circuit: view.circuit,
    enabled: view.enabled,
  };
}

export function healthEntries(services: Pick<Services, 'runtime'>): ProviderHealthEntry[] {
  return services.runtime.health().map(toHealthEntry);
}

export interface GroupHealth {
  isHealthy: boolean;
  responseTime: number | null;
  error: string | null;
}

/** The seed's `lm-studio` and `cloud` groups, for the inference provider selector. */
export async function groupHealth(
  services: Pick<Services, 'runtime'>,
): Promise<Partial<Record<'lm-studio' | 'cloud', GroupHealth>>> {
  const status = await services.runtime.service.getHealthStatus();
  const groups: Partial<Record<'lm-studio' | 'cloud', GroupHealth>> = {};
  for (const name of ['lm-studio', 'cloud'] as const) {
    const entry = status[name];
    if (entry)
      groups[name] = {
        isHealthy: entry.isHealthy,
        responseTime: entry.responseTime ?? null,
        error: entry.error ?? null,
      };
  }
  return groups;
}

/** A circuit as the Providers page shows it: times as ISO strings, null while closed. */
export interface CircuitEntry {
  state: 'closed' | 'open' | 'half-open';
  openedAt: string | null;
  /** When an open circuit lets a probe through. */
  retryAt: string | null;
  consecutiveFailures: number;
}

export interface LastErrorEntry {
  message: string;
  at: string;
}

export interface ModelStatusEntry {
  model: string;
  circuit: CircuitEntry;
  lastError: LastErrorEntry | null;
}

/** Everything the Providers page shows about one provider's state, with one row per model. */
export interface ProviderStatusEntry extends ProviderHealthEntry {
  name: string;
  /** The provider-wide circuit (connection and auth failures are charged to it). */
  providerCircuit: CircuitEntry;
  /** Until when a Retry-After keeps the provider out of routing. */
  coolDownUntil: string | null;
  lastError: LastErrorEntry | null;
  models: ModelStatusEntry[];
}

type CircuitSnapshot = ReturnType<Services['runtime']['gateway']['circuits']['snapshot']>[number];

const CLOSED: CircuitEntry = {
  state: 'closed',
  openedAt: null,
  retryAt: null,
  consecutiveFailures: 0,
};

function isoOrNull(time: number | undefined): string | null {
  return time === undefined ? null : new Date(time).toISOString();
}

function toCircuitEntry(snapshot: CircuitSnapshot | undefined): CircuitEntry {
  if (!snapshot) return CLOSED;
  return {
    state: snapshot.state,
    openedAt: isoOrNull(snapshot.openedAt),
    retryAt: isoOrNull(snapshot.retryAt),
    consecutiveFailures: snapshot.consecutiveFailures,
  };
}

function toLastError(error: { message: string; at: number } | undefined): LastErrorEntry | null {
  return error ? { message: error.message, at: new Date(error.at).toISOString() } : null;
}

/** A failed health check stands in as the last error when no request has failed yet. */
function healthCheckError(view: ProviderHealthView): LastErrorEntry | null {
  if (!view.enabled || view.isHealthy || !view.error || view.lastCheckedAt === undefined)
    return null;
  return { message: view.error, at: new Date(view.lastCheckedAt).toISOString() };
}

/** The vendor model ids the provider is configured with, in config order. */
function configuredModels(services: Pick<Services, 'runtime'>, providerId: string): string[] {
  const provider = services.runtime.gateway.currentConfig.providers.find(
    (candidate) => candidate.id === providerId,
  );
  return (provider?.models ?? []).map((model) => model.id ?? model.name);
}

export function providerStatuses(
  services: Pick<Services, 'runtime' | 'attemptErrors'>,
): ProviderStatusEntry[] {
  const circuits = services.runtime.gateway.circuits.snapshot();
  const errors = services.attemptErrors;
  return services.runtime.health().map((view) => {
    const own = circuits.filter((circuit) => circuit.provider === view.providerId);
    const models = new Set([
      ...configuredModels(services, view.providerId),
      ...own.flatMap((circuit) => (circuit.model === undefined ? [] : [circuit.model])),
      ...errors.modelsOf(view.providerId),
    ]);
    return {
      ...toHealthEntry(view),
      name: view.name,
      providerCircuit: toCircuitEntry(own.find((circuit) => circuit.model === undefined)),
      coolDownUntil: isoOrNull(view.coolDownUntil),
      lastError: toLastError(errors.forProvider(view.providerId)) ?? healthCheckError(view),
      models: [...models].map((model) => ({
        model,
        circuit: toCircuitEntry(own.find((circuit) => circuit.model === model)),
        lastError: toLastError(errors.forModel(view.providerId, model)),
      })),
    };
  });
}

/** How many of the latest health checks the page shows per provider. */
export const HEALTH_HISTORY_POINTS = 30;
const HEALTH_HISTORY_WINDOW_MS = 60 * 60 * 1000;

export interface HealthCheckPoint {
  checkedAt: string;
  isHealthy: boolean;
  responseTime: number | null;
  error: string | null;
}

/** The latest stored health checks of each provider, oldest first. */
export async function healthHistory(
  services: Pick<Services, 'repositories' | 'clock'>,
  providerIds: readonly string[],
): Promise<Record<string, HealthCheckPoint[]>> {
  const since = services.clock.now() - HEALTH_HISTORY_WINDOW_MS;
  const entries = await Promise.all(
    providerIds.map(async (providerId) => {
      const records = await services.repositories.health.history(providerId, since);
      const points = records.slice(-HEALTH_HISTORY_POINTS).map((record) => ({
        checkedAt: record.checkedAt.toISOString(),
        isHealthy: record.isHealthy,
        responseTime: record.responseTime ?? null,
        error: record.error ?? null,
      }));
      return [providerId, points] as const;
    }),
  );
  return Object.fromEntries(entries);
}
