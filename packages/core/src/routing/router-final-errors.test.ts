import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { ConfigInput } from '../config/config-schema.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { GatewayError } from '../spec/errors.ts';
import { Gateway } from '../service/gateway.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { seededRandom } from '../util/random.ts';

const request: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: 'hello' }] };

function setup(overrides: Partial<ConfigInput> = {}, ids = ['a', 'b', 'c']) {
  const adapters = Object.fromEntries(ids.map((id) => [id, new ScriptedAdapter(id)]));
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
      retryAttempts: 1,
      retryDelay: 100,
      timeout: 1000,
      requestTimeout: 20_000,
      enableHealthMonitoring: false,
      ...overrides,
    },
    scriptedRegistry(adapters),
  );
  const gateway = new Gateway({
    config,
    adapters: scriptedRegistry(adapters),
    monitorHealth: false,
    random: seededRandom(7),
  });
  return { gateway, adapters: adapters as Record<string, ScriptedAdapter> };
}

async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.finally(() => (done = true)).catch(() => undefined);
  for (let index = 0; index < 400 && !done; index++) await vi.advanceTimersByTimeAsync(50);
  return promise;
}

const failed = (promise: Promise<unknown>) =>
  settle(promise.catch((error: unknown) => error)) as Promise<GatewayError>;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Router: a parameter no candidate supports', () => {
  it('answers 400 naming the parameter when every candidate refused it', async () => {
    const { gateway, adapters } = setup();
    for (const adapter of Object.values(adapters))
      adapter.fallbackStep = { fail: { kind: 'unsupported_parameter', status: 400, param: 'n' } };
    const error = await failed(gateway.complete(request));
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      param: 'n',
      code: 'unsupported_parameter',
    });
  });

  it('stays a 502 when the candidates failed for different reasons', async () => {
    const { gateway, adapters } = setup({}, ['a', 'b']);
    adapters.a!.fallbackStep = { fail: { kind: 'unsupported_parameter', status: 400, param: 'n' } };
    adapters.b!.fallbackStep = { fail: { kind: 'server', status: 500 } };
    expect(await failed(gateway.complete(request))).toMatchObject({ status: 502 });
  });
});

describe('Router: pinned providers', () => {
  it('answers 503 naming the pinned provider instead of serving from another', async () => {
    const { gateway, adapters } = setup({
      routes: [
        { name: 'chat', targets: [{ provider: 'a' }, { provider: 'b' }], fallbacks: ['spare'] },
        { name: 'spare', targets: [{ provider: 'c' }] },
      ],
      circuitBreaker: { consecutiveFailures: 1, cooldownMs: 60_000 },
    });
    adapters.b!.fallbackStep = { fail: { kind: 'server', status: 500 } };
    await failed(gateway.complete(request, { pinnedProvider: 'b' }));
    const error = await failed(gateway.complete(request, { pinnedProvider: 'b' }));
    expect(error).toMatchObject({ status: 503 });
    expect(error.message).toContain('b');
    expect(error.attempts.every((attempt) => attempt.provider === 'b')).toBe(true);
    expect(adapters.c!.calls).toHaveLength(0);
  });

  it('never falls back outside the pin when the pinned provider fails', async () => {
    const { gateway, adapters } = setup({
      routes: [
        { name: 'chat', targets: [{ provider: 'a' }], fallbacks: ['spare'] },
        { name: 'spare', targets: [{ provider: 'c' }] },
      ],
    });
    adapters.a!.fallbackStep = { fail: { kind: 'server', status: 500 } };
    const error = await failed(gateway.complete(request, { pinnedProvider: 'a' }));
    expect(error.message).toContain('a');
    expect(error.attempts.every((attempt) => attempt.provider === 'a')).toBe(true);
    expect(adapters.c!.calls).toHaveLength(0);
  });

  it('lets a pin choose only among the targets the model reaches, else 403 naming the provider', async () => {
    const { gateway, adapters } = setup({
      routes: [
        { name: 'chat', targets: [{ provider: 'a' }], fallbacks: ['spare'] },
        { name: 'spare', targets: [{ provider: 'c' }] },
      ],
    });
    const error = await failed(gateway.complete(request, { pinnedProvider: 'b' }));
    expect(error).toMatchObject({ status: 403, code: 'provider_not_allowed' });
    expect(error.message).toContain('"b"');
    expect(adapters.b!.calls).toHaveLength(0);
    // Its fallback chain is part of what the model reaches.
    expect((await gateway.complete(request, { pinnedProvider: 'c' })).provider).toBe('c');
    expect((await gateway.complete(request, { pinnedProvider: 'a' })).provider).toBe('a');
  });
});

describe('Router: 429 storms', () => {
  it('tells the client the soonest Retry-After when every candidate answered 429', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 0 });
    const hints = { a: 9000, b: 4000, c: 7000 };
    for (const [id, retryAfterMs] of Object.entries(hints))
      adapters[id]!.fallbackStep = { fail: { kind: 'rate_limited', status: 429, retryAfterMs } };
    const error = await failed(gateway.complete(request));
    expect(error.retryAfterMs).toBe(4000);
  });

  it('fails over at once on a long Retry-After when another candidate is left', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 2 });
    adapters.a!.push({ fail: { kind: 'rate_limited', status: 429, retryAfterMs: 5000 } });
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('b');
    expect(adapters.b!.calls[0]!.at - adapters.a!.calls[0]!.at).toBeLessThan(100);
  });

  it('still waits a long Retry-After on the only candidate', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 1 }, ['a']);
    adapters.a!.push({ fail: { kind: 'rate_limited', status: 429, retryAfterMs: 5000 } });
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('a');
    expect(adapters.a!.calls[1]!.at - adapters.a!.calls[0]!.at).toBe(5000);
  });
});
