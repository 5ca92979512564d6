import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  describeCircuit,
  formatTimeUntil,
  ProviderStatusTable,
  type ProviderStatusView,
} from './provider-status-table.tsx';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const closed = { state: 'closed' };

const flaky: ProviderStatusView = {
  providerId: 'flaky',
  name: 'Flaky',
  enabled: true,
  isHealthy: true,
  responseTime: 40,
  lastCheckedAt: at(-5_000),
  circuit: 'open',
  providerCircuit: closed,
  coolDownUntil: at(45_000),
  lastError: { message: 'rate limited (429)', at: at(-10_000) },
  models: [
    {
      model: 'gpt-x',
      circuit: { state: 'open', openedAt: at(-1_000), retryAt: at(30_000) },
      lastError: { message: 'rate limited (429)', at: at(-10_000) },
    },
    { model: 'gpt-y', circuit: { state: 'half-open' } },
  ],
};
const off: ProviderStatusView = {
  providerId: 'off',
  name: 'Off',
  enabled: false,
  isHealthy: false,
  error: 'disabled',
  circuit: 'closed',
  providerCircuit: closed,
  models: [],
};

describe('circuit and cool-down wording', () => {
  it('says when an open circuit lets the next probe through', () => {
    expect(describeCircuit({ state: 'open', retryAt: at(30_000) }, NOW)).toMatch(
      /^Open until .+ \(in 30 s\)$/,
    );
    expect(describeCircuit({ state: 'half-open' }, NOW)).toBe(
      'Half-open: the next request probes it',
    );
    expect(describeCircuit(closed, NOW)).toBe('Closed');
  });

  it('counts down in seconds, then minutes, and says now once due', () => {
    expect(formatTimeUntil(at(45_000), NOW)).toBe('in 45 s');
    expect(formatTimeUntil(at(10 * 60_000), NOW)).toBe('in 10 min');
    expect(formatTimeUntil(at(-1_000), NOW)).toBe('now');
  });
});

describe('ProviderStatusTable', () => {
  const html = renderToStaticMarkup(
    <ProviderStatusTable
      providers={[flaky, off]}
      history={{
        flaky: [
          { checkedAt: at(-60_000), isHealthy: true, responseTime: 30 },
          { checkedAt: at(-30_000), isHealthy: false, error: 'ECONNREFUSED' },
        ],
      }}
      now={NOW}
    />,
  );

  it('shows each model circuit on its own row, with its last error', () => {
    expect(html).toContain('data-status-model="flaky/gpt-x"');
    expect(html).toMatch(/data-circuit="open">Open until [^<]+\(in 30 s\)/);
    expect(html).toContain('data-circuit="half-open"');
    expect(html).toContain('rate limited (429)');
    expect(html).toContain('10 s ago');
  });

  it('shows the provider circuit, its cool-down and a verdict that reflects the worst circuit', () => {
    expect(html).toMatch(/data-status-provider="flaky".*data-circuit="closed">Closed/);
    expect(html).toMatch(/Until [^<]+\(in 45 s\)/);
    expect(html).toContain('data-status="circuit-open"');
  });

  it('shows the recent checks as marks with a summary', () => {
    expect(html).toContain('aria-label="1 of 2 recent checks passed"');
    expect(html.match(/sy-history__mark--/g)).toHaveLength(2);
    expect(html).toContain('failed, ECONNREFUSED');
  });

  it('shows a disabled provider as disabled, not healthy', () => {
    const row = html.slice(html.indexOf('data-status-provider="off"'));
    expect(row).toContain('data-status="disabled"');
    expect(row).not.toContain('data-status="healthy"');
    expect(row).toContain('No checks stored yet');
  });
});
