import { GatewayEvents, type RequestOutcome } from '@switchyard/core';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from './alert-event.ts';
import { alertText } from './alert-event.ts';
import { AlertWatcher, budgetLevel } from './alert-watcher.ts';

const NOW = Date.UTC(2026, 11, 4, 12);

function setup(spend = new Map<string, number>()) {
  const events = new GatewayEvents();
  const raised: AlertEvent[] = [];
  let now = NOW;
  const watcher = new AlertWatcher({
    events,
    clock: { now: () => now, sleep: () => Promise.resolve() },
    spentThisMonth: (keyId) => spend.get(keyId) ?? 0,
    raise: (alert) => raised.push(alert),
  });
  const charge = async (keyId: string, usd: number) => {
    spend.set(keyId, (spend.get(keyId) ?? 0) + usd);
    const outcome: RequestOutcome = {
      requestId: 'r',
      keyId,
      status: 200,
      stream: false,
      attempts: 1,
      latencyMs: 1,
      costUsd: usd,
      startedAt: now,
    };
    events.emit('request', outcome);
    await nextTurn();
  };
  return { events, raised, watcher, charge, setNow: (time: number) => (now = time) };
}

function health(events: GatewayEvents, provider: string, isHealthy: boolean, error?: string) {
  events.emit('health', {
    provider,
    isHealthy,
    checkedAt: NOW,
    ...(error === undefined ? {} : { error }),
  });
}

describe('alert watcher', () => {
  it('raises down and up on health transitions only, not on repeats or a healthy start', () => {
    const { events, raised } = setup();
    health(events, 'a', true);
    health(events, 'a', true);
    health(events, 'a', false, 'ECONNREFUSED');
    health(events, 'a', false, 'ECONNREFUSED');
    health(events, 'a', true);
    health(events, 'b', false);
    expect(raised).toEqual([
      { event: 'provider.down', provider: 'a', error: 'ECONNREFUSED' },
      { event: 'provider.up', provider: 'a' },
      { event: 'provider.down', provider: 'b' },
    ]);
  });

  it('raises circuit.open for openings this instance saw, not adopted ones or other states', () => {
    const { events, raised } = setup();
    events.emit('circuit', { provider: 'a', from: 'closed', to: 'open', reason: '5 failures' });
    events.emit('circuit', {
      provider: 'b',
      model: 'm',
      from: 'closed',
      to: 'open',
      reason: 'changed by another instance',
    });
    events.emit('circuit', { provider: 'a', from: 'open', to: 'half-open', reason: 'cooldown' });
    events.emit('circuit', {
      provider: 'a',
      from: 'half-open',
      to: 'open',
      reason: 'probe failed',
    });
    expect(raised).toEqual([
      { event: 'circuit.open', provider: 'a', reason: '5 failures' },
      { event: 'circuit.open', provider: 'a', reason: 'probe failed' },
    ]);
  });

  it('raises budget.80 then budget.100 once each as spend crosses them', async () => {
    const { watcher, raised, charge } = setup();
    watcher.setKeys([{ id: 'k', name: 'team', monthlyBudgetUsd: 10 }]);
    await charge('k', 7.9);
    expect(raised).toEqual([]);
    await charge('k', 0.2);
    await charge('k', 1);
    await charge('k', 1);
    await charge('k', 5);
    expect(raised).toEqual([
      { event: 'budget.80', keyId: 'k', keyName: 'team', budgetUsd: 10, spentUsd: 8.1 },
      { event: 'budget.100', keyId: 'k', keyName: 'team', budgetUsd: 10, spentUsd: 10.1 },
    ]);
    expect(alertText(raised[1] as AlertEvent)).toBe(
      'Switchyard: key team has used 100 % of its monthly budget ($10.10 of $10.00)',
    );
  });

  it('does not repeat a level reached before start; a raised budget re-arms it', async () => {
    const { watcher, raised, charge } = setup(new Map([['k', 9]]));
    watcher.setKeys([{ id: 'k', name: 'team', monthlyBudgetUsd: 10 }]);
    await charge('k', 0.5);
    expect(raised).toEqual([]);
    watcher.setKeys([{ id: 'k', name: 'team', monthlyBudgetUsd: 100 }]);
    await charge('k', 80);
    expect(raised.map((alert) => alert.event)).toEqual(['budget.80']);
  });

  it('ignores keys without a budget and requests without cost', async () => {
    const { watcher, raised, charge } = setup();
    watcher.setKeys([{ id: 'k', name: 'team' }]);
    await charge('k', 100);
    await charge('other', 100);
    expect(raised).toEqual([]);
  });

  it('counts levels by share of the budget', () => {
    expect([budgetLevel(7.99, 10), budgetLevel(8, 10), budgetLevel(10, 10)]).toEqual([0, 80, 100]);
    expect(budgetLevel(5, 0)).toBe(0);
  });
});
