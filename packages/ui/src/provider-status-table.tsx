// Provider state at a glance: health, circuit breaker, Retry-After cool-down, last error and the
// latest health checks, one row per provider and one per provider model.
import { HealthBadge } from './health-badge.tsx';
import { deriveHealthStatus } from './health-status.ts';
import { formatLatency, formatRelativeTime } from './format.ts';

/** A circuit breaker as the gateway reports it; times as ISO strings. */
export interface CircuitView {
  state: string;
  openedAt?: string | null;
  /** When an open circuit lets the next probe through. */
  retryAt?: string | null;
}

export interface LastErrorView {
  message: string;
  at: string;
}

export interface ModelStatusView {
  model: string;
  circuit: CircuitView;
  lastError?: LastErrorView | null;
}

export interface ProviderStatusView {
  providerId: string;
  name: string;
  enabled: boolean;
  isHealthy: boolean;
  responseTime?: number | null;
  error?: string | null;
  lastCheckedAt?: string | null;
  /** The worst of the provider's circuits. */
  circuit: string;
  /** The provider-wide circuit. */
  providerCircuit: CircuitView;
  coolDownUntil?: string | null;
  lastError?: LastErrorView | null;
  models: ModelStatusView[];
}

export interface HealthCheckView {
  checkedAt: string;
  isHealthy: boolean;
  responseTime?: number | null;
  error?: string | null;
}

export interface ProviderStatusTableProps {
  providers: ReadonlyArray<ProviderStatusView>;
  /** The latest health checks per provider id, oldest first. */
  history?: Readonly<Record<string, ReadonlyArray<HealthCheckView>>>;
  /** Reference time for "in 30 s" and "2 min ago" (defaults to now). */
  now?: number;
}

/** "in 45 s", "in 3 min"; "now" once the time has come. */
export function formatTimeUntil(at: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(at) - now) / 1000);
  if (!(seconds > 0)) return 'now';
  if (seconds < 90) return `in ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `in ${minutes} min`;
  return `in ${Math.round(minutes / 60)} h`;
}

/** Wall-clock time of an ISO timestamp, to the second, in the viewer's time zone. */
function clockTime(at: string): string {
  return new Date(at).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** One line saying what a circuit does now: closed, open until a time, or half-open. */
export function describeCircuit(circuit: CircuitView, now: number = Date.now()): string {
  switch (circuit.state) {
    case 'open':
      return circuit.retryAt
        ? `Open until ${clockTime(circuit.retryAt)} (${formatTimeUntil(circuit.retryAt, now)})`
        : 'Open';
    case 'half-open':
      return 'Half-open: the next request probes it';
    default:
      return 'Closed';
  }
}

function CircuitCell({ circuit, now }: { circuit: CircuitView; now: number | undefined }) {
  return (
    <span className={`sy-circuit sy-circuit--${circuit.state}`} data-circuit={circuit.state}>
      {describeCircuit(circuit, now)}
    </span>
  );
}

function CoolDownCell({
  until,
  now,
}: {
  until: string | null | undefined;
  now: number | undefined;
}) {
  if (!until || Date.parse(until) <= (now ?? Date.now()))
    return <span className="sy-muted">None</span>;
  return (
    <span data-cool-down={until}>
      Until {clockTime(until)} ({formatTimeUntil(until, now)})
    </span>
  );
}

function LastErrorCell({ error, now }: { error: LastErrorView | null | undefined; now?: number }) {
  if (!error) return <span className="sy-muted">None</span>;
  return (
    <span className="sy-status-table__error">
      {error.message} <span className="sy-hint">{formatRelativeTime(error.at, now)}</span>
    </span>
  );
}

/** One small mark per health check, oldest first; its title gives the time and result. */
export function HealthHistoryStrip({ checks }: { checks: ReadonlyArray<HealthCheckView> }) {
  if (checks.length === 0) return <span className="sy-muted">No checks stored yet</span>;
  const passed = checks.filter((check) => check.isHealthy).length;
  return (
    <span
      className="sy-history"
      role="img"
      aria-label={`${passed} of ${checks.length} recent checks passed`}
    >
      {checks.map((check) => (
        <span
          key={check.checkedAt}
          className={`sy-history__mark sy-history__mark--${check.isHealthy ? 'ok' : 'failed'}`}
          title={`${clockTime(check.checkedAt)}: ${
            check.isHealthy
              ? `healthy, ${formatLatency(check.responseTime)}`
              : `failed${check.error ? `, ${check.error}` : ''}`
          }`}
        />
      ))}
    </span>
  );
}

function ProviderRows({
  provider,
  checks,
  now,
}: {
  provider: ProviderStatusView;
  checks: ReadonlyArray<HealthCheckView>;
  now: number | undefined;
}) {
  const status = deriveHealthStatus(provider);
  const detail = provider.enabled ? (provider.error ?? null) : 'not used for requests';
  return (
    <>
      <tr className="sy-status-table__provider" data-status-provider={provider.providerId}>
        <th scope="row">{provider.name}</th>
        <td>
          <HealthBadge status={status} latencyMs={provider.responseTime ?? null} detail={detail} />
        </td>
        <td>
          {provider.enabled ? (
            <CircuitCell circuit={provider.providerCircuit} now={now} />
          ) : (
            <span className="sy-muted">Disabled</span>
          )}
        </td>
        <td>
          <CoolDownCell until={provider.coolDownUntil} now={now} />
        </td>
        <td>
          <LastErrorCell error={provider.lastError} now={now} />
        </td>
        <td>
          <HealthHistoryStrip checks={checks} />
        </td>
      </tr>
      {provider.models.map((model) => (
        <tr
          key={model.model}
          className="sy-status-table__model"
          data-status-model={`${provider.providerId}/${model.model}`}
        >
          <th scope="row">
            <span aria-hidden="true">↳ </span>
            <code>{model.model}</code>
          </th>
          <td />
          <td>
            <CircuitCell circuit={model.circuit} now={now} />
          </td>
          <td />
          <td>
            <LastErrorCell error={model.lastError} now={now} />
          </td>
          <td />
        </tr>
      ))}
    </>
  );
}

export function ProviderStatusTable({ providers, history, now }: ProviderStatusTableProps) {
  if (providers.length === 0) return <p className="sy-empty">No providers configured yet.</p>;
  return (
    // Focusable so that keyboard users can scroll it sideways on a narrow screen.
    <div className="sy-table-wrap" tabIndex={0} role="region" aria-label="Provider status">
      <table className="sy-status-table">
        <thead>
          <tr>
            <th scope="col">Provider / model</th>
            <th scope="col">Health</th>
            <th scope="col">Circuit</th>
            <th scope="col">Cool-down</th>
            <th scope="col">Last error</th>
            <th scope="col">Recent checks</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((provider) => (
            <ProviderRows
              key={provider.providerId}
              provider={provider}
              checks={history?.[provider.providerId] ?? []}
              now={now}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
