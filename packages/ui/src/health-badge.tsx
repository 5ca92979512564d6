import type { HealthVerdict } from './types.ts';
import { HEALTH_LABELS } from './health-status.ts';
import { formatLatency } from './format.ts';

export interface HealthBadgeProps {
  status: HealthVerdict;
  latencyMs?: number | null;
  /** Shown on hover and read by screen readers, e.g. the last error. */
  detail?: string | null;
}

export function HealthBadge({ status, latencyMs, detail }: HealthBadgeProps) {
  const label = HEALTH_LABELS[status];
  const showLatency =
    (status === 'healthy' || status === 'degraded') && typeof latencyMs === 'number';
  return (
    <span
      className={`sy-badge sy-badge--${status}`}
      title={detail ?? undefined}
      data-status={status}
    >
      <span className="sy-badge__dot" aria-hidden="true" />
      {label}
      {showLatency ? <span className="sy-badge__latency">{formatLatency(latencyMs)}</span> : null}
      {detail ? <span className="sy-visually-hidden">: {detail}</span> : null}
    </span>
  );
}
