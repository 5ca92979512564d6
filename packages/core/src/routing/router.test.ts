import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { ConfigInput } from '../config/config-schema.ts';
import {
  AllProvidersFailedError,
  DeadlineExceededError,
  GatewayError,
  InvalidRequestError,
  NoHealthyProvidersError,
  type UpstreamErrorKind,
} from '../spec/errors.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { Gateway } from '../service/gateway.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { seededRandom } from '../util/random.ts';

const request: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: 'hello' }] };

function setup(overrides: Partial<ConfigInput> = {}, ids = ['a', 'b', 'c']) {
  const adapters = Object.fromEntries(ids.map((id) => [id, new ScriptedAdapter(id)]));
  const registry = scriptedRegistry(adapters);
  const config = parseConfig(
    {
      providers: ids.map((id, index) => ({
        id,
        name: id.toUpperCase(),
        type: 'openai-compatible',
        endpoint: `http://127.0.0.1:${9000 + index}`,
        priority: index + 1,
      })),
      routes: [{ name: 'chat', targets: ids.map((id) => ({ provider: id })) }],
      retryAttempts: 0,
      retryDelay: 100,
      timeout: 1000,
      requestTimeout: 5000,
      ...overrides,
    },
    registry,
  );
  const gateway = new Gateway({
    config,
    adapters: registry,
    monitorHealth: false,
    random: seededRandom(7),
  });
  return { gateway, adapters: adapters as Record<string, ScriptedAdapter> };
}

async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.finally(() => (done = true)).catch(() => undefined);
  for (let index = 0; index < 200 && !done; index++) await vi.advanceTimersByTimeAsync(50);
  return promise;
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Router: attempts', () => {
  it('answers from the first provider in priority order', async () => {
    const { gateway, adapters } = setup();
    const result = await gateway.complete(request);
    expect(result.provider).toBe('a');
    expect(result.attempts).toHaveLength(1);
    expect(adapters.b!.calls).toHaveLength(0);
  });

  it('fails over to the next provider on a server error and names who served', async () => {
    const { gateway, adapters } = setup();
    adapters.a!.push({ fail: { kind: 'server', status: 500 } });
    const fallbacks: string[] = [];
    gateway.events.on('fallback', (event) => void fallbacks.push(`${event.from}->${event.to}`));
    const result = await gateway.complete(request);
    expect(result.provider).toBe('b');
    expect(result.attempts.map((attempt) => `${attempt.provider}:${attempt.outcome}`)).toEqual([
      'a:error',
      'b:success',
    ]);
    expect(fallbacks).toEqual(['a->b']);
  });

  it('retries a transient failure the configured number of times with full-jitter backoff', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 3, retryDelay: 200 });
    adapters.a!.push(
      { fail: { kind: 'server' } },
      { fail: { kind: 'overloaded' } },
      // A timeout would fail over at once while b and c are left (router-deadlines.test.ts).
      { fail: { kind: 'connection' } },
    );
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('a');
    const times = adapters.a!.calls.map((call) => call.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // Full jitter: the n-th retry waits in [0, 200 * 2^n).
    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThan(200 * 2 ** index + 50);
    });
  });

  it('does not retry non-transient kinds on the same provider', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 3 });
    adapters.a!.push({ fail: { kind: 'auth', status: 401 } });
    const result = await settle(gateway.complete(request));
    expect(adapters.a!.calls).toHaveLength(1);
    expect(result.provider).toBe('b');
  });

  it('honours Retry-After exactly when it fits the deadline', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 1 });
    adapters.a!.push({ fail: { kind: 'rate_limited', status: 429, retryAfterMs: 1500 } });
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('a');
    const [first, second] = adapters.a!.calls;
    expect(second!.at - first!.at).toBe(1500);
  });

  it('fails over instead of waiting when Retry-After is longer than the budget left', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 2, requestTimeout: 3000 });
    adapters.a!.push({ fail: { kind: 'rate_limited', status: 429, retryAfterMs: 60_000 } });
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('b');
    expect(adapters.a!.calls).toHaveLength(1);
    expect(adapters.b!.calls[0]!.at - adapters.a!.calls[0]!.at).toBeLessThan(100);
  });

  it('returns a client error (400) without trying another provider', async () => {
    const { gateway, adapters } = setup();
    adapters.a!.push({
      fail: {
        kind: 'bad_request',
        status: 400,
        param: 'temperature',
        message: 'temperature is invalid',
      },
    });
    const error = await gateway.complete(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).status).toBe(400);
    expect((error as InvalidRequestError).param).toBe('temperature');
    expect(adapters.b!.calls).toHaveLength(0);
  });

  const failoverKinds: UpstreamErrorKind[] = [
    'rate_limited',
    'overloaded',
    'timeout',
    'connection',
    'auth',
    'not_found',
    'server',
    'protocol',
    'model_loading',
  ];
  it.each(failoverKinds)('fails over to the next provider on %s', async (kind) => {
    const { gateway, adapters } = setup();
    adapters.a!.push({ fail: { kind } });
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('b');
  });

  it.each<UpstreamErrorKind>(['bad_request', 'content_filter', 'context_length'])(
    'answers %s without fallback',
    async (kind) => {
      const { gateway, adapters } = setup();
      adapters.a!.push({ fail: { kind, status: 400 } });
      await expect(gateway.complete(request)).rejects.toMatchObject({ status: 400 });
      expect(adapters.b!.calls).toHaveLength(0);
    },
  );

  it('tries another provider when one does not support a parameter', async () => {
    const { gateway, adapters } = setup();
    adapters.a!.push({
      fail: { kind: 'bad_request', status: 400, code: 'unsupported_parameter', param: 'n' },
    });
    expect((await gateway.complete(request)).provider).toBe('b');
  });

  it('falls back to the larger-window route on a context-length error', async () => {
    const { gateway, adapters } = setup({
      routes: [
        { name: 'chat', targets: [{ provider: 'a' }], contextLengthFallback: 'long' },
        { name: 'long', targets: [{ provider: 'c', model: 'big-model' }] },
      ],
    });
    adapters.a!.push({ fail: { kind: 'context_length', status: 400 } });
    const result = await gateway.complete(request);
    expect(result.provider).toBe('c');
    expect(adapters.c!.calls[0]!.model).toBe('big-model');
  });

  it('follows route fallback chains after every target failed', async () => {
    const { gateway, adapters } = setup({
      routes: [
        { name: 'chat', targets: [{ provider: 'a' }], fallbacks: ['backup'] },
        { name: 'backup', targets: [{ provider: 'c' }] },
      ],
    });
    adapters.a!.push({ fail: { kind: 'server' } });
    expect((await gateway.complete(request)).provider).toBe('c');
  });

  it('reports 502 naming the providers tried and why when all fail', async () => {
    const { gateway, adapters } = setup();
    for (const adapter of Object.values(adapters))
      adapter.push({ fail: { kind: 'connection', message: 'connection refused' } });
    const error = await gateway.complete(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect((error as GatewayError).status).toBe(502);
    expect((error as GatewayError).message).toMatch(/^No healthy providers available/);
    // The classified reason reaches the client; the upstream's own text only the attempt trail.
    expect((error as GatewayError).message).toContain('a (connection); b (connection)');
    expect((error as GatewayError).message).not.toContain('connection refused');
    expect((error as GatewayError).attempts[0]?.message).toBe('connection refused');
  });

  it('never exceeds the total deadline, even with a hanging provider', async () => {
    const { gateway, adapters } = setup({
      timeout: 800,
      requestTimeout: 2000,
      retryAttempts: 5,
      retryDelay: 10,
    });
    for (const adapter of Object.values(adapters)) adapter.fallbackStep = { hang: true };
    const started = Date.now();
    const error = await settle(gateway.complete(request).catch((caught: unknown) => caught));
    expect(error).toBeInstanceOf(GatewayError);
    expect([502, 504]).toContain((error as GatewayError).status);
    expect(Date.now() - started).toBeLessThanOrEqual(2050);
    // Each attempt was cut at its own timeout and its signal aborted.
    expect(adapters.a!.calls[0]!.signal.aborted).toBe(true);
  });

  it('stops with 504 once the deadline has passed between attempts', async () => {
    const { gateway, adapters } = setup({ timeout: 1000, requestTimeout: 1500 });
    adapters.a!.fallbackStep = { hang: true };
    adapters.b!.fallbackStep = { hang: true };
    const error = await settle(gateway.complete(request).catch((caught: unknown) => caught));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as GatewayError).status).toBe(504);
  });

  it('pins a provider with x-switchyard-provider', async () => {
    const { gateway } = setup();
    expect((await gateway.complete(request, { pinnedProvider: 'c' })).provider).toBe('c');
    await expect(gateway.complete(request, { pinnedProvider: 'nope' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('answers 404 for a model that no route or provider offers', async () => {
    const { gateway } = setup(
      {
        providers: [
          {
            id: 'a',
            name: 'A',
            type: 'openai-compatible',
            endpoint: 'http://127.0.0.1:9',
            models: [{ name: 'm1' }],
          },
        ],
        routes: [],
      },
      ['a'],
    );
    await expect(gateway.complete({ ...request, model: 'unknown' })).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect((await gateway.complete({ ...request, model: 'm1' })).provider).toBe('a');
  });
});

describe('Router: circuits and health', () => {
  it('skips a provider whose circuit is open and reports no healthy providers with a retry hint', async () => {
    const { gateway, adapters } = setup(
      { circuitBreaker: { consecutiveFailures: 2, cooldownMs: 5000 } },
      ['a'],
    );
    adapters.a!.fallbackStep = { fail: { kind: 'server' } };
    await expect(gateway.complete(request)).rejects.toBeInstanceOf(AllProvidersFailedError);
    await expect(gateway.complete(request)).rejects.toBeInstanceOf(AllProvidersFailedError);
    const error = await gateway.complete(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoHealthyProvidersError);
    expect((error as GatewayError).status).toBe(503);
    expect((error as GatewayError).retryAfterMs).toBeGreaterThan(0);
    expect(adapters.a!.calls).toHaveLength(2);
  });
});

describe('Router: streams', () => {
  it('fails over before the first token and streams from the next provider', async () => {
    const { gateway, adapters } = setup();
    adapters.a!.push({ stream: [], errorBeforeFirst: 'server' });
    adapters.b!.push({ stream: ['Hel', 'lo'] });
    const result = await gateway.stream({ ...request, stream: true });
    expect(result.provider).toBe('b');
    const events = await collect(result.output);
    expect(
      events
        .filter((event) => event.type === 'text-delta')
        .map((event) => (event as { text: string }).text)
        .join(''),
    ).toBe('Hello');
  });

  it('fails over when the first token misses its deadline', async () => {
    // The first-token deadline (500 ms) is much shorter than the attempt timeout (5 s).
    const { gateway, adapters } = setup({ firstTokenTimeout: 500, timeout: 5000 });
    adapters.a!.push({ stream: ['late'], firstDelayMs: 1500 });
    adapters.b!.push({ stream: ['fast'] });
    const result = await settle(gateway.stream({ ...request, stream: true }));
    expect(result.provider).toBe('b');
    expect(adapters.b!.calls[0]!.at - adapters.a!.calls[0]!.at).toBe(500);
    expect(result.attempts[0]).toMatchObject({ provider: 'a', outcome: 'error', kind: 'timeout' });
    expect(adapters.a!.calls[0]!.signal.aborted).toBe(true);
  });

  it('ends a stream cut after the first token with an error event, never a clean finish', async () => {
    const { gateway, adapters } = setup();
    adapters.a!.push({ stream: ['one', 'two', 'three'], cutAfter: 2 });
    const result = await gateway.stream({ ...request, stream: true });
    const events = await collect(result.output);
    expect(events.at(-1)?.type).toBe('error');
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(adapters.b!.calls).toHaveLength(0);
    const outcome = await result.done;
    expect(outcome.status).toBe(502);
    expect(outcome.errorKind).toBe('connection');
  });
});

describe('Router: strategies', () => {
  it('round-robin spreads requests evenly', async () => {
    const { gateway } = setup({
      routes: [
        {
          name: 'chat',
          strategy: 'round-robin',
          targets: [{ provider: 'a' }, { provider: 'b' }, { provider: 'c' }],
        },
      ],
    });
    const served: string[] = [];
    for (let index = 0; index < 6; index++) served.push((await gateway.complete(request)).provider);
    expect(served).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('weighted follows the weights (seeded)', async () => {
    const { gateway } = setup({
      routes: [
        {
          name: 'chat',
          strategy: 'weighted',
          targets: [
            { provider: 'a', weight: 3 },
            { provider: 'b', weight: 1 },
          ],
        },
      ],
    });
    const counts: Record<string, number> = {};
    for (let index = 0; index < 400; index++) {
      const provider = (await gateway.complete(request)).provider;
      counts[provider] = (counts[provider] ?? 0) + 1;
    }
    expect(counts.a! / 400).toBeGreaterThan(0.68);
    expect(counts.a! / 400).toBeLessThan(0.82);
  });

  it('per-request strategy override takes precedence over the route', async () => {
    const { gateway } = setup({
      routes: [
        { name: 'chat', strategy: 'round-robin', targets: [{ provider: 'a' }, { provider: 'b' }] },
      ],
    });
    const served = [];
    for (let index = 0; index < 3; index++)
      served.push((await gateway.complete(request, { strategy: 'priority' })).provider);
    expect(served).toEqual(['a', 'a', 'a']);
  });

  it('least-busy prefers the provider with fewer requests in flight', async () => {
    const { gateway, adapters } = setup({
      routes: [
        { name: 'chat', strategy: 'least-busy', targets: [{ provider: 'a' }, { provider: 'b' }] },
      ],
    });
    adapters.a!.push({ answer: 'slow', delayMs: 1000 });
    const slow = gateway.complete(request);
    await vi.advanceTimersByTimeAsync(1);
    expect((await gateway.complete(request)).provider).toBe('b');
    await settle(slow);
  });

  it('health-based prefers the lower-latency provider', async () => {
    const { gateway, adapters } = setup({
      routes: [
        { name: 'chat', strategy: 'health-based', targets: [{ provider: 'a' }, { provider: 'b' }] },
      ],
    });
    adapters.a!.fallbackStep = { answer: 'slow', delayMs: 400 };
    adapters.b!.fallbackStep = { answer: 'fast', delayMs: 20 };
    // warm both latency averages
    await settle(gateway.complete(request, { pinnedProvider: 'a' }));
    await settle(gateway.complete(request, { pinnedProvider: 'b' }));
    const served: string[] = [];
    for (let index = 0; index < 10; index++)
      served.push((await settle(gateway.complete(request))).provider);
    expect(served.filter((provider) => provider === 'b').length).toBeGreaterThanOrEqual(9);
  });

  it('cost picks the cheapest provider whose context window fits', async () => {
    const { gateway } = setup({
      providers: [
        {
          id: 'a',
          name: 'A',
          type: 'openai-compatible',
          endpoint: 'http://127.0.0.1:9001',
          models: [
            { name: 'm', inputPricePerMTok: 5, outputPricePerMTok: 15, contextWindow: 100000 },
          ],
        },
        {
          id: 'b',
          name: 'B',
          type: 'openai-compatible',
          endpoint: 'http://127.0.0.1:9002',
          models: [
            { name: 'm', inputPricePerMTok: 0.1, outputPricePerMTok: 0.4, contextWindow: 10 },
          ],
        },
        {
          id: 'c',
          name: 'C',
          type: 'openai-compatible',
          endpoint: 'http://127.0.0.1:9003',
          models: [
            { name: 'm', inputPricePerMTok: 1, outputPricePerMTok: 2, contextWindow: 100000 },
          ],
        },
      ],
      routes: [],
      loadBalancing: 'cost',
    });
    expect((await gateway.complete({ ...request, model: 'm', max_tokens: 100 })).provider).toBe(
      'c',
    );
  });
});
