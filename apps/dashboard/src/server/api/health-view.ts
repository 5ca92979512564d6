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
