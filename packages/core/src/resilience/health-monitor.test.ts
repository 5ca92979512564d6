import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEventMap } from '../metrics/gateway-events.ts';
import { GatewayEvents } from '../metrics/gateway-events.ts';
import { UpstreamError } from '../spec/errors.ts';
import type { CallOptions, ProbeResult } from '../spec/provider-adapter.ts';
import { MemoryStateStore } from '../state/memory-state-store.ts';
import { brokenStore, collectUnhandledRejections } from '../state/test-support/broken-store.ts';
import { manualClock } from '../state/test-support/manual-clock.ts';
import { seededRandom } from '../util/random.ts';
import { HealthMonitor, resolveHealthCheckUrl } from './health-monitor.ts';

const okProbe = () => Promise.resolve<ProbeResult>({ latencyMs: 12, check: 'GET /v1/models' });

async function startServer(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('HealthMonitor schedule', () => {
  it('checks at once, then every interval with ±10% jitter from the random source', async () => {
    vi.useFakeTimers({ now: 0 });
    const calls: number[] = [];
    const monitor = new HealthMonitor({ intervalMs: 1_000, random: seededRandom(7) });
    monitor.setTargets([{ providerId: 'p1', probe: () => (calls.push(Date.now()), okProbe()) }]);
    monitor.start();
    await vi.advanceTimersByTimeAsync(10_000);
    monitor.stop();

    const expectedRandom = seededRandom(7);
    const expected = [0];
    while (expected.length < calls.length) {
      expected.push(expected.at(-1)! + Math.round(1_000 * (0.9 + 0.2 * expectedRandom())));
    }
    expect(calls.length).toBeGreaterThanOrEqual(9);
    expect(calls).toEqual(expected);
    const gaps = calls.slice(1).map((time, index) => time - calls[index]!);
    expect(gaps.every((gap) => gap >= 900 && gap <= 1_100)).toBe(true);
    expect(new Set(gaps).size).toBeGreaterThan(1);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls.length).toBe(expected.length);
  });

  it('never runs two checks of one provider at the same time', async () => {
    vi.useFakeTimers({ now: 0 });
    let release: (result: ProbeResult) => void = () => undefined;
    const probe = vi.fn(() => new Promise<ProbeResult>((resolve) => (release = resolve)));
    const monitor = new HealthMonitor({
      intervalMs: 1_000,
      random: seededRandom(1),
      timeoutMs: 60_000,
    });
    monitor.setTargets([{ providerId: 'p1', probe }]);
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    const manual = monitor.check('p1');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probe).toHaveBeenCalledTimes(1);
    release({ latencyMs: 30, check: 'GET /v1/models' });
    expect((await manual).isHealthy).toBe(true);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(probe).toHaveBeenCalledTimes(2);
    monitor.stop();
  });

  it('keeps state of providers that remain across setTargets and forgets removed ones', async () => {
    const monitor = new HealthMonitor({ intervalMs: 1_000 });
    monitor.setTargets([
      {
        providerId: 'p1',
        probe: () => Promise.reject(new UpstreamError({ kind: 'connection', message: 'refused' })),
      },
      { providerId: 'p2', probe: okProbe },
    ]);
    await monitor.check('p1');
    await monitor.check('p2');
    monitor.setTargets([{ providerId: 'p1', probe: okProbe }]);
    expect(monitor.status('p1')).toMatchObject({ isHealthy: false, error: 'refused' });
    expect(monitor.all().map((status) => status.providerId)).toEqual(['p1']);
    expect(monitor.status('p2')).toEqual({
      providerId: 'p2',
      isHealthy: true,
      consecutiveFailures: 0,
      source: 'none',
    });
    expect(await monitor.check('p2')).toMatchObject({
      isHealthy: false,
      error: 'Provider p2 is not monitored',
    });
  });
});

describe('HealthMonitor custom health check', () => {
  it('checks the configured URL relative to the endpoint and reports the status', async () => {
    const seen: string[] = [];
    const server = await startServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.statusCode = request.url === '/api/health' ? 200 : 503;
      response.end('ok');
    });
    try {
      const events = new GatewayEvents();
      const results: Array<GatewayEventMap['health']> = [];
      events.on('health', (event) => results.push(event));
      const monitor = new HealthMonitor({
        intervalMs: 30_000,
        events,
        defaultHealthCheck: { url: '/health', method: 'GET', expectedStatus: 200, timeout: 2_000 },
      });
      monitor.setTargets([
        { providerId: 'local', endpoint: `${server.origin}/api/` },
        {
          providerId: 'down',
          endpoint: server.origin,
          healthCheck: {
            url: `${server.origin}/status`,
            method: 'HEAD',
            expectedStatus: 200,
            timeout: 2_000,
          },
        },
      ]);
      const healthy = await monitor.check('local');
      const unhealthy = await monitor.check('down');
      expect(seen).toEqual(['GET /api/health', 'HEAD /status']);
      expect(healthy).toMatchObject({
        providerId: 'local',
        isHealthy: true,
        source: 'custom',
        consecutiveFailures: 0,
      });
      expect(healthy.responseTime).toBeTypeOf('number');
      expect(unhealthy).toMatchObject({
        isHealthy: false,
        source: 'custom',
        consecutiveFailures: 1,
        error: `HEAD ${server.origin} answered 503, expected 200`,
      });
      expect(results.map((event) => [event.provider, event.isHealthy])).toEqual([
        ['local', true],
        ['down', false],
      ]);
    } finally {
      await server.close();
    }
  });

  it('marks a provider unhealthy when the check times out or cannot connect', async () => {
    const server = await startServer(() => {
      // never answers
    });
    const closed = await startServer(() => undefined);
    await closed.close();
    const monitor = new HealthMonitor({ intervalMs: 30_000 });
    try {
      monitor.setTargets([
        {
          providerId: 'slow',
          endpoint: server.origin,
          healthCheck: { url: '/health', method: 'GET', expectedStatus: 200, timeout: 50 },
        },
        {
          providerId: 'gone',
          endpoint: closed.origin,
          healthCheck: { url: '/health', method: 'GET', expectedStatus: 200, timeout: 2_000 },
        },
      ]);
      const slow = await monitor.check('slow');
      expect(slow).toMatchObject({
        isHealthy: false,
        error: `GET ${server.origin} did not answer within 50 ms`,
      });
      const gone = await monitor.check('gone');
      expect(gone.isHealthy).toBe(false);
      expect(gone.error).toMatch(new RegExp(`^GET ${closed.origin} failed: .*ECONNREFUSED`));
    } finally {
      await server.close();
    }
  });

  it('resolves relative and absolute URLs', () => {
    expect(resolveHealthCheckUrl('/health', 'http://h:1234/v1/')).toBe('http://h:1234/v1/health');
    expect(resolveHealthCheckUrl('https://status.example/ping', 'http://h')).toBe(
      'https://status.example/ping',
    );
    expect(resolveHealthCheckUrl('/health', undefined)).toBeUndefined();
  });

  it('puts a relative path before the endpoint’s query string, never after it', () => {
    expect(resolveHealthCheckUrl('/health', 'http://h:1234/v1?token=abc')).toBe(
      'http://h:1234/v1/health?token=abc',
    );
    expect(resolveHealthCheckUrl('ready?deep=1', 'http://h/base/?token=abc')).toBe(
      'http://h/base/ready?token=abc&deep=1',
    );
  });

  it('shows only the origin of the checked URL in health errors: no userinfo, no query', async () => {
    const monitor = new HealthMonitor({
      intervalMs: 60_000,
      fetch: () =>
        Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })),
    });
    monitor.setTargets([
      {
        providerId: 'secret',
        endpoint: 'http://user:PASSWORD@127.0.0.1:9/v1?token=TOKEN',
        healthCheck: { url: '/health', method: 'GET', expectedStatus: 200, timeout: 1_000 },
      },
    ]);
    const status = await monitor.check('secret');
    expect(status.error).toBe('GET http://127.0.0.1:9 failed: ECONNREFUSED');
    const leaky = new HealthMonitor({
      intervalMs: 60_000,
      fetch: (url) =>
        Promise.reject(
          new TypeError(
            `Request cannot be constructed from a URL that includes credentials: ${url instanceof Request ? url.url : url.toString()}`,
          ),
        ),
    });
    leaky.setTargets([
      {
        providerId: 'secret',
        endpoint: 'http://user:PASSWORD@127.0.0.1:9/v1?token=TOKEN',
        healthCheck: { url: '/health', method: 'GET', expectedStatus: 200, timeout: 1_000 },
      },
    ]);
    const error = (await leaky.check('secret')).error ?? '';
    expect(error).not.toContain('PASSWORD');
    expect(error).not.toContain('TOKEN');
    expect(error).toContain('http://127.0.0.1:9');
  });
});

describe('HealthMonitor probes and traffic', () => {
  it('uses the adapter probe and its error when no custom check is configured', async () => {
    let seenOptions: CallOptions | undefined;
    const clock = manualClock();
    const monitor = new HealthMonitor({ intervalMs: 30_000, clock, timeoutMs: 4_000 });
    monitor.setTargets([
      { providerId: 'ok', probe: (options) => ((seenOptions = options), okProbe()) },
      {
        providerId: 'bad',
        probe: () =>
          Promise.reject(
            new UpstreamError({ kind: 'auth', message: 'invalid api key', status: 401 }),
          ),
      },
    ]);
    expect(await monitor.check('ok')).toMatchObject({
      isHealthy: true,
      responseTime: 12,
      source: 'probe',
      lastCheckedAt: clock.now(),
    });
    expect(seenOptions?.deadline).toBe(clock.now() + 4_000);
    expect(await monitor.check('bad')).toMatchObject({
      isHealthy: false,
      error: 'invalid api key',
      source: 'probe',
    });
  });

  it('gives up on a probe that does not answer in time and aborts it', async () => {
    vi.useFakeTimers({ now: 0 });
    let signal: AbortSignal | undefined;
    const monitor = new HealthMonitor({ intervalMs: 30_000, timeoutMs: 1_000 });
    monitor.setTargets([
      {
        providerId: 'stuck',
        probe: (options) => ((signal = options.signal), new Promise<ProbeResult>(() => undefined)),
      },
    ]);
    const result = monitor.check('stuck');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toMatchObject({
      isHealthy: false,
      error: 'probe did not answer within 1000 ms',
    });
    expect(signal?.aborted).toBe(true);
  });

  it('turns unhealthy after three provider-side traffic failures and healthy on a success', () => {
    const events = new GatewayEvents();
    const flips: boolean[] = [];
    events.on('health', (event) => flips.push(event.isHealthy));
    const monitor = new HealthMonitor({ intervalMs: 30_000, events, clock: manualClock() });
    monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'rate_limited' });
    monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'bad_request' });
    monitor.recordOutcome('p1', {
      ok: false,
      latencyMs: 5,
      kind: 'connection',
      message: 'refused',
    });
    monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'server' });
    expect(monitor.status('p1')).toMatchObject({ isHealthy: true, consecutiveFailures: 2 });
    monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'timeout', message: 'no answer' });
    expect(monitor.status('p1')).toMatchObject({
      isHealthy: false,
      consecutiveFailures: 3,
      error: 'no answer',
      source: 'traffic',
    });
    monitor.recordOutcome('p1', { ok: true, latencyMs: 800 });
    expect(monitor.status('p1')).toMatchObject({
      isHealthy: true,
      consecutiveFailures: 0,
      responseTime: 800,
    });
    expect(flips).toEqual([false, true]);
  });

  it('ejects a model on its own traffic failures and the provider on provider-wide ones', () => {
    const monitor = new HealthMonitor({ intervalMs: 30_000, clock: manualClock() });
    for (let index = 0; index < 3; index++)
      monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'server', model: 'm1' });
    expect(monitor.availability('p1', 'm1')).toMatchObject({ available: false });
    expect(monitor.availability('p1', 'm2')).toEqual({ available: true });
    expect(monitor.status('p1').isHealthy).toBe(true);
    for (let index = 0; index < 3; index++)
      monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'connection', model: 'm2' });
    expect(monitor.availability('p1', 'm2')).toMatchObject({ available: false });
    expect(monitor.status('p1').isHealthy).toBe(false);
  });

  it('lets a traffic ejection expire so that real traffic re-tests it', () => {
    const clock = manualClock();
    const monitor = new HealthMonitor({ intervalMs: 30_000, clock, ejectionMs: 5_000 });
    for (let index = 0; index < 3; index++)
      monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'timeout', model: 'm1' });
    expect(monitor.availability('p1', 'm1')).toMatchObject({
      available: false,
      retryAfterMs: 5_000,
    });
    clock.advance(5_000);
    expect(monitor.availability('p1', 'm1')).toEqual({ available: true });
    monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'timeout', model: 'm1' });
    expect(monitor.availability('p1', 'm1')).toMatchObject({ available: false });
    clock.advance(5_000);
    monitor.recordOutcome('p1', { ok: true, latencyMs: 5, model: 'm1' });
    monitor.recordOutcome('p1', { ok: false, latencyMs: 5, kind: 'timeout', model: 'm1' });
    expect(monitor.availability('p1', 'm1')).toEqual({ available: true });
  });

  it('estimates latency from traffic with a decaying average, probes standing in until then', async () => {
    const monitor = new HealthMonitor({ intervalMs: 30_000 });
    monitor.setTargets([{ providerId: 'p1', probe: okProbe }]);
    expect(monitor.latencyEstimate('p1')).toBeUndefined();
    await monitor.check('p1');
    expect(monitor.latencyEstimate('p1')).toBe(12);
    monitor.recordOutcome('p1', { ok: true, latencyMs: 1_000 });
    monitor.recordOutcome('p1', { ok: true, latencyMs: 2_000 });
    expect(monitor.latencyEstimate('p1')).toBe(1_300);
  });

  it('shares results with other instances through the store', async () => {
    const clock = manualClock();
    const store = new MemoryStateStore(clock);
    const target = { providerId: 'p1', probe: () => Promise.reject(new Error('socket hang up')) };
    const first = new HealthMonitor({ intervalMs: 30_000, clock, store });
    const second = new HealthMonitor({ intervalMs: 30_000, clock, store });
    first.setTargets([target]);
    second.setTargets([target]);
    clock.advance(1);
    await first.check('p1');
    expect(second.status('p1')).toMatchObject({
      isHealthy: false,
      error: 'socket hang up',
      source: 'probe',
    });
  });

  it('never throws or leaves a rejection unhandled, whatever the probe, fetch or store do', async () => {
    const notAnError: unknown = 'not an Error';
    const unhandled = await collectUnhandledRejections(async () => {
      const monitor = new HealthMonitor({
        intervalMs: 30_000,
        store: brokenStore(),
        fetch: () => {
          throw notAnError;
        },
      });
      monitor.setTargets([
        {
          providerId: 'throws',
          probe: () => {
            throw new Error('probe bug');
          },
        },
        {
          providerId: 'fetch',
          endpoint: 'http://127.0.0.1:9',
          healthCheck: { url: '/h', method: 'GET', expectedStatus: 200, timeout: 1_000 },
        },
      ]);
      expect(await monitor.check('throws')).toMatchObject({ isHealthy: false, error: 'probe bug' });
      expect(await monitor.check('fetch')).toMatchObject({
        isHealthy: false,
        error: 'GET http://127.0.0.1:9 failed: not an Error',
      });
      monitor.recordOutcome('fetch', { ok: true, latencyMs: 1 });
    });
    expect(unhandled).toEqual([]);
  });
});
