import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEventMap } from '../metrics/gateway-events.ts';
import { GatewayEvents } from '../metrics/gateway-events.ts';
import { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { MemoryStateStore } from '../state/memory-state-store.ts';
import { brokenStore, collectUnhandledRejections } from '../state/test-support/broken-store.ts';
import { manualClock } from '../state/test-support/manual-clock.ts';
import { sharedMemoryStore } from '../state/test-support/shared-memory-store.ts';
import { systemClock } from '../util/clock.ts';
import { CircuitBreakers } from './circuit-breakers.ts';

const settings = {
  consecutiveFailures: 3,
  errorRatio: 0.5,
  minimumRequests: 10,
  windowMs: 10_000,
  cooldownMs: 1_000,
  maxCooldownMs: 4_000,
  halfOpenProbes: 1,
  slowStartMs: 10_000,
};

function setup(overrides: Partial<typeof settings> = {}) {
  const clock = manualClock();
  const events = new GatewayEvents();
  const transitions: Array<GatewayEventMap['circuit']> = [];
  events.on('circuit', (event) => transitions.push(event));
  const metrics = new GatewayMetrics();
  const breakers = new CircuitBreakers({
    settings: { ...settings, ...overrides },
    clock,
    events,
    metrics,
  });
  return { clock, breakers, transitions, metrics };
}

function fail(
  breakers: CircuitBreakers,
  times: number,
  model?: string,
  kind: 'server' | 'connection' = 'server',
) {
  for (let index = 0; index < times; index++) breakers.onFailure('p1', model, kind);
}

describe('CircuitBreakers', () => {
  it('opens after consecutive failures and refuses traffic until the cooldown ends', async () => {
    const { breakers, transitions, metrics } = setup();
    fail(breakers, 2);
    breakers.onSuccess('p1', undefined, 100);
    fail(breakers, 2);
    expect(breakers.decide('p1')).toEqual({ allowed: true, state: 'closed', weight: 1 });
    fail(breakers, 1);
    expect(breakers.decide('p1')).toEqual({
      allowed: false,
      state: 'open',
      retryAfterMs: 1_000,
      weight: 0,
    });
    expect(transitions).toEqual([
      { provider: 'p1', from: 'closed', to: 'open', reason: '3 consecutive failures' },
    ]);
    expect(await metrics.render()).toContain('switchyard_circuit_state{provider="p1",model=""} 2');
  });

  it('opens on the error ratio only once the window holds the minimum volume', () => {
    const { breakers, transitions } = setup();
    for (let index = 0; index < 4; index++) {
      breakers.onSuccess('p1', undefined, 100);
      breakers.onFailure('p1', undefined, 'server');
    }
    expect(breakers.state('p1')).toBe('closed');
    breakers.onSuccess('p1', undefined, 100);
    breakers.onFailure('p1', undefined, 'server');
    expect(breakers.state('p1')).toBe('open');
    expect(transitions[0]?.reason).toBe('error ratio 50% over 10 requests');
  });

  it('forgets outcomes that slid out of the window', () => {
    const { clock, breakers } = setup();
    for (let index = 0; index < 4; index++) {
      breakers.onSuccess('p1', undefined, 100);
      breakers.onFailure('p1', undefined, 'server');
    }
    clock.advance(11_000);
    breakers.onSuccess('p1', undefined, 100);
    breakers.onFailure('p1', undefined, 'server');
    expect(breakers.state('p1')).toBe('closed');
  });

  it('goes half-open after the cooldown and admits only the configured probes', () => {
    const { clock, breakers, transitions } = setup();
    fail(breakers, 3);
    clock.advance(999);
    expect(breakers.decide('p1').retryAfterMs).toBe(1);
    clock.advance(1);
    expect(breakers.peek('p1')).toEqual({ allowed: true, state: 'half-open', weight: 0.1 });
    expect(breakers.decide('p1').allowed).toBe(true);
    const second = breakers.decide('p1');
    expect(second.allowed).toBe(false);
    expect(second.state).toBe('half-open');
    expect(transitions.at(-1)).toEqual({
      provider: 'p1',
      from: 'open',
      to: 'half-open',
      reason: 'cooldown elapsed',
    });
  });

  it('closes on a probe success and ramps traffic up over slow start', () => {
    const { clock, breakers, transitions } = setup();
    fail(breakers, 3);
    clock.advance(1_000);
    breakers.decide('p1');
    breakers.onSuccess('p1', undefined, 200);
    expect(transitions.at(-1)?.to).toBe('closed');
    expect(breakers.decide('p1')).toEqual({ allowed: true, state: 'closed', weight: 0.1 });
    clock.advance(5_000);
    expect(breakers.decide('p1').weight).toBeCloseTo(0.55);
    clock.advance(5_000);
    expect(breakers.decide('p1').weight).toBe(1);
  });

  it('re-opens on a probe failure with a doubled, capped cooldown that resets after a clean close', () => {
    const { clock, breakers } = setup();
    fail(breakers, 3);
    const cooldowns: number[] = [];
    for (let round = 0; round < 3; round++) {
      const wait = breakers.decide('p1').retryAfterMs!;
      cooldowns.push(wait);
      clock.advance(wait);
      breakers.decide('p1');
      breakers.onFailure('p1', undefined, 'timeout');
    }
    cooldowns.push(breakers.decide('p1').retryAfterMs!);
    expect(cooldowns).toEqual([1_000, 2_000, 4_000, 4_000]);

    clock.advance(4_000);
    breakers.decide('p1');
    breakers.onSuccess('p1', undefined, 100);
    clock.advance(2_000);
    fail(breakers, 3);
    expect(breakers.decide('p1').retryAfterMs).toBe(4_000);

    clock.advance(4_000);
    breakers.decide('p1');
    breakers.onSuccess('p1', undefined, 100);
    clock.advance(10_000);
    fail(breakers, 3);
    expect(breakers.decide('p1').retryAfterMs).toBe(1_000);
  });

  it('keeps one model circuit apart from another model on the same provider', () => {
    const { breakers, transitions } = setup();
    fail(breakers, 3, 'model-a');
    expect(breakers.decide('p1', 'model-a').allowed).toBe(false);
    expect(breakers.decide('p1', 'model-b')).toEqual({ allowed: true, state: 'closed', weight: 1 });
    expect(breakers.state('p1')).toBe('closed');
    expect(transitions).toEqual([
      {
        provider: 'p1',
        model: 'model-a',
        from: 'closed',
        to: 'open',
        reason: '3 consecutive failures',
      },
    ]);

    fail(breakers, 3, 'model-b', 'connection');
    expect(breakers.state('p1')).toBe('open');
    expect(breakers.decide('p1', 'model-c').allowed).toBe(false);
  });

  it('reports a provider as open while any of its model circuits is, then half-open, then closed', () => {
    const { clock, breakers } = setup();
    expect(breakers.providerState('p1')).toBe('closed');
    fail(breakers, 3, 'model-a');
    expect(breakers.state('p1')).toBe('closed');
    expect(breakers.providerState('p1')).toBe('open');
    expect(breakers.providerState('p2')).toBe('closed');
    clock.advance(settings.cooldownMs);
    expect(breakers.providerState('p1')).toBe('half-open');
    expect(breakers.decide('p1', 'model-a').allowed).toBe(true);
    breakers.onSuccess('p1', 'model-a', 100);
    expect(breakers.providerState('p1')).toBe('closed');
  });

  it('does not count failures the request caused', () => {
    const { breakers } = setup();
    for (const kind of ['bad_request', 'context_length', 'content_filter'] as const) {
      for (let index = 0; index < 5; index++) breakers.onFailure('p1', 'm', kind);
    }
    expect(breakers.decide('p1', 'm').allowed).toBe(true);
    expect(breakers.snapshot().every((circuit) => circuit.consecutiveFailures === 0)).toBe(true);
  });

  it('frees a probe slot that was released or abandoned', () => {
    const { clock, breakers } = setup();
    fail(breakers, 3);
    clock.advance(1_000);
    expect(breakers.decide('p1').allowed).toBe(true);
    breakers.release('p1');
    expect(breakers.decide('p1').allowed).toBe(true);
    expect(breakers.decide('p1').retryAfterMs).toBe(30_000);
    clock.advance(30_000);
    expect(breakers.decide('p1').allowed).toBe(true);
  });

  it('lists circuits in a snapshot and resets them', () => {
    const { clock, breakers } = setup();
    fail(breakers, 3, 'm');
    expect(breakers.snapshot()).toEqual([
      { provider: 'p1', state: 'closed', consecutiveFailures: 0, weight: 1 },
      {
        provider: 'p1',
        model: 'm',
        state: 'open',
        consecutiveFailures: 0,
        openedAt: clock.now(),
        retryAt: clock.now() + 1_000,
        weight: 0,
      },
    ]);
    breakers.reset('p1');
    expect(breakers.decide('p1', 'm')).toEqual({ allowed: true, state: 'closed', weight: 1 });
  });
});

describe('CircuitBreakers over a shared store', () => {
  it('lets another instance follow openings and recoveries', async () => {
    const clock = manualClock();
    const store = new MemoryStateStore(clock);
    const first = new CircuitBreakers({ settings, clock, store });
    const second = new CircuitBreakers({ settings, clock, store });
    fail(first, 3, 'm');
    expect(second.decide('p1', 'm')).toEqual({
      allowed: false,
      state: 'open',
      retryAfterMs: 1_000,
      weight: 0,
    });

    clock.advance(1_000);
    first.decide('p1', 'm');
    first.onSuccess('p1', 'm', 100);
    expect(second.decide('p1', 'm')).toEqual({ allowed: true, state: 'closed', weight: 0.1 });

    fail(first, 3, 'm');
    const late = new CircuitBreakers({ settings, clock, store });
    late.decide('p1', 'm');
    await Promise.resolve();
    await Promise.resolve();
    expect(late.state('p1', 'm')).toBe('open');
    second.close();
    first.reset();
    expect(second.state('p1', 'm')).toBe('open');
  });

  it('keeps working on local state when the store fails', async () => {
    const unhandled = await collectUnhandledRejections(() => {
      const breakers = new CircuitBreakers({
        settings,
        clock: manualClock(),
        store: brokenStore(),
      });
      fail(breakers, 3, 'm');
      expect(breakers.decide('p1', 'm').allowed).toBe(false);
    });
    expect(unhandled).toEqual([]);
  });
});

describe('CircuitBreakers of a fleet (a shared store)', () => {
  const settle = async () => {
    for (let index = 0; index < 5; index++) await Promise.resolve();
  };
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets exactly one instance probe a half-open circuit', async () => {
    const clock = manualClock();
    const store = sharedMemoryStore(clock);
    const fleet = [0, 1, 2].map(() => new CircuitBreakers({ settings, clock, store }));
    const [first] = fleet;
    fail(first!, 3, 'm');
    clock.advance(1_000);
    // Nobody held the lease when the cooldown ended (no timer ran on this clock): all refuse,
    // and each claims it.
    for (const breakers of fleet) expect(breakers.decide('p1', 'm').allowed).toBe(false);
    await settle();
    const probes = [1, 2, 3].flatMap(() => fleet.map((breakers) => breakers.decide('p1', 'm')));
    expect(probes.filter((decision) => decision.allowed)).toHaveLength(1);
    const refused = probes.find((decision) => !decision.allowed);
    expect(refused).toMatchObject({ state: 'half-open', retryAfterMs: 1_000 });
    for (const breakers of fleet) breakers.close();
  });

  it('hands the next cooldown to the fleet when the probe fails, and closes everywhere when one succeeds', async () => {
    const clock = manualClock();
    const store = sharedMemoryStore(clock);
    const fleet = [0, 1, 2].map(() => new CircuitBreakers({ settings, clock, store }));
    fail(fleet[0]!, 3, 'm');
    clock.advance(1_000);
    for (const breakers of fleet) breakers.decide('p1', 'm');
    await settle();
    const holder = fleet.find((breakers) => breakers.decide('p1', 'm').allowed)!;
    holder.onFailure('p1', 'm', 'server');
    for (const breakers of fleet) expect(breakers.state('p1', 'm')).toBe('open');
    // The doubled cooldown, then a lease of its own end.
    clock.advance(2_000);
    for (const breakers of fleet) breakers.decide('p1', 'm');
    await settle();
    const next = fleet.filter((breakers) => breakers.decide('p1', 'm').allowed);
    expect(next).toHaveLength(1);
    next[0]!.onSuccess('p1', 'm', 100);
    for (const breakers of fleet) expect(breakers.decide('p1', 'm').allowed).toBe(true);
    for (const breakers of fleet) breakers.close();
  });

  it('claims the lease when the cooldown ends, before any request asks', async () => {
    vi.useFakeTimers();
    const store = sharedMemoryStore(systemClock);
    const fleet = [0, 1, 2].map(() => new CircuitBreakers({ settings, clock: systemClock, store }));
    fail(fleet[0]!, 3, 'm');
    await vi.advanceTimersByTimeAsync(1_000);
    const decisions = fleet.map((breakers) => breakers.decide('p1', 'm'));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(1);
    for (const breakers of fleet) breakers.close();
  });

  it('probes on its own when the store cannot grant the lease', async () => {
    const unhandled = await collectUnhandledRejections(async () => {
      const clock = manualClock();
      const breakers = new CircuitBreakers({
        settings,
        clock,
        store: { ...brokenStore(), shared: true },
      });
      fail(breakers, 3, 'm');
      clock.advance(1_000);
      expect(breakers.decide('p1', 'm').allowed).toBe(false);
      await settle();
      expect(breakers.decide('p1', 'm').allowed).toBe(true);
      expect(breakers.decide('p1', 'm').allowed).toBe(false);
      breakers.close();
    });
    expect(unhandled).toEqual([]);
  });
});
