import type { ProviderHealthSummary } from './types.ts';
import { HealthBadge } from './health-badge.tsx';
import { formatLatency, formatRelativeTime } from './format.ts';

export interface HealthGridProps {
  providers: ReadonlyArray<{ id: string; name: string }>;
  health: ReadonlyArray<ProviderHealthSummary>;
  /** Reference time for "last check" (defaults to now). */
  now?: number;
  emptyText?: string;
}

/** One card per provider: status, latency, last check, last error. */
export function HealthGrid({ providers, health, now, emptyText }: HealthGridProps) {
  if (providers.length === 0)
    return <p className="sy-empty">{emptyText ?? 'No providers configured yet.'}</p>;
  const byId = new Map(health.map((entry) => [entry.providerId, entry]));
  return (
    <ul className="sy-health-grid" aria-label="Provider health">
      {providers.map((provider) => {
        const entry = byId.get(provider.id);
        return (
          <li key={provider.id} className="sy-health-card" data-provider={provider.id}>
            <div className="sy-health-card__head">
              <strong>{provider.name}</strong>
              <HealthBadge status={entry?.status ?? 'unknown'} detail={entry?.error ?? null} />
            </div>
            <dl className="sy-health-card__facts">
              <div>
                <dt>Latency</dt>
                <dd>{formatLatency(entry?.latencyMs)}</dd>
              </div>
              <div>
                <dt>Last check</dt>
                <dd>{formatRelativeTime(entry?.lastCheckedAt ?? null, now)}</dd>
              </div>
            </dl>
            {entry?.error ? <p className="sy-health-card__error">{entry.error}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
