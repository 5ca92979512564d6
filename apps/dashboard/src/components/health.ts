// Maps the API's health entries to the shared components' view.
import { deriveHealthStatus, type ProviderHealthView } from '@switchyard/ui';
import type { ProviderHealthEntry } from '../server/api/health-view.ts';

export function toHealthView(entry: ProviderHealthEntry): ProviderHealthView {
  return {
    providerId: entry.providerId,
    status: deriveHealthStatus(entry),
    latencyMs: entry.responseTime,
    lastCheckedAt: entry.lastCheckedAt,
    error: entry.error,
  };
}
