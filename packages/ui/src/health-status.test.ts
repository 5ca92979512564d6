import { describe, expect, it } from 'vitest';
import type { ProviderHealthView } from '@switchyard/core';
import { deriveHealthStatus, toHealthSummary } from './health-status.ts';
import { formatLatency, formatRelativeTime, formatUsd } from './format.ts';

describe('deriveHealthStatus', () => {
  it('maps the gateway report to one status', () => {
    expect(deriveHealthStatus(undefined)).toBe('unknown');
    expect(deriveHealthStatus({ isHealthy: true, responseTime: 120 })).toBe('healthy');
    expect(deriveHealthStatus({ isHealthy: true, responseTime: 4_000 })).toBe('degraded');
    expect(deriveHealthStatus({ isHealthy: true, circuit: 'half_open' })).toBe('degraded');
    expect(deriveHealthStatus({ isHealthy: false, lastCheckedAt: '2024-01-01T00:00:00Z' })).toBe(
      'down',
    );
    expect(deriveHealthStatus({ isHealthy: false, lastCheckedAt: null })).toBe('unknown');
    expect(deriveHealthStatus({ isHealthy: false, circuit: 'OPEN' })).toBe('circuit-open');
    expect(deriveHealthStatus({ isHealthy: true, enabled: false })).toBe('disabled');
  });
});

describe('toHealthSummary', () => {
  it("reads core's report as it is and after a trip through JSON", () => {
    const report: ProviderHealthView = {
      providerId: 'local',
      name: 'Local',
      type: 'lmstudio',
      enabled: true,
      circuit: 'closed',
      isHealthy: true,
      responseTime: 3_000,
      lastCheckedAt: Date.parse('2024-05-01T12:00:00Z'),
      consecutiveFailures: 0,
      source: 'probe',
    };
    expect(toHealthSummary(report)).toEqual({
      providerId: 'local',
      status: 'degraded',
      latencyMs: 3_000,
      lastCheckedAt: new Date('2024-05-01T12:00:00Z'),
      error: undefined,
    });
    expect(
      toHealthSummary({
        providerId: 'cloud',
        isHealthy: false,
        responseTime: null,
        error: 'refused',
        lastCheckedAt: '2024-05-01T12:00:00.000Z',
        circuit: 'open',
        enabled: true,
      }),
    ).toEqual({
      providerId: 'cloud',
      status: 'circuit-open',
      latencyMs: null,
      lastCheckedAt: '2024-05-01T12:00:00.000Z',
      error: 'refused',
    });
  });
});

describe('formatters', () => {
  it('formats latency, money and age for people', () => {
    expect(formatLatency(42.4)).toBe('42 ms');
    expect(formatLatency(1534)).toBe('1.53 s');
    expect(formatLatency(undefined)).toBe('—');
    expect(formatUsd(0.000123)).toBe('$0.00012');
    expect(formatUsd(12.3456)).toBe('$12.35');
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(formatRelativeTime('2024-05-01T11:59:30Z', now)).toBe('30 s ago');
    expect(formatRelativeTime(new Date('2024-05-01T11:00:00Z'), now)).toBe('1 h ago');
    expect(formatRelativeTime(null, now)).toBe('never');
  });
});
