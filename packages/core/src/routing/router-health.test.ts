import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { ConfigInput } from '../config/config-schema.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import { GatewayError } from '../spec/errors.ts';
import { Gateway } from '../service/gateway.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { seededRandom } from '../util/random.ts';

const request: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: 'hello' }] };

function setup(overrides: Partial<ConfigInput> = {}, ids = ['a', 'b']) {
  const adapters = Object.fromEntries(ids.map((id) => [id, new ScriptedAdapter(id)]));
  const config = parseConfig(
    {
      providers: ids.map((id, index) => ({
        id,
        name: id.toUpperCase(),
        type: 'openai-compatible',
        endpoint: `http://127.0.0.1:${9000 + index}`,
        priority: index + 1,
        models: [{ name: 'm1' }, { name: 'm2' }],
      })),
      routes: [{ name: 'chat', targets: ids.map((id) => ({ provider: id, model: 'm1' })) }],
      retryAttempts: 0,
      timeout: 1000,
      requestTimeout: 5000,
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

const failed = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Router: passive health', () => {
  it('ejects the failing model, not the whole provider', async () => {
    const { gateway, adapters } = setup({}, ['a']);
    adapters.a!.push(...Array.from({ length: 3 }, () => ({ fail: { kind: 'server' as const } })));
    for (let index = 0; index < 3; index++) await failed(gateway.complete(request));
    const other = await gateway.complete({ ...request, model: 'm2' });
    expect(other.provider).toBe('a');
    expect(adapters.a!.calls.at(-1)!.model).toBe('m2');
  });

  it('lets an ejected provider back in through real traffic without health monitoring', async () => {
    const { gateway, adapters } = setup({}, ['a']);
    adapters.a!.push(...Array.from({ length: 3 }, () => ({ fail: { kind: 'server' as const } })));
    for (let index = 0; index < 3; index++) await failed(gateway.complete(request));
    const ejected = await failed(gateway.complete(request));
    expect(ejected).toMatchObject({ status: 503 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await gateway.complete(request)).provider).toBe('a');
  });

  it('ejects again at once when the re-test fails', async () => {
    const { gateway, adapters } = setup({}, ['a']);
    adapters.a!.push(...Array.from({ length: 4 }, () => ({ fail: { kind: 'server' as const } })));
    for (let index = 0; index < 3; index++) await failed(gateway.complete(request));
    await vi.advanceTimersByTimeAsync(30_000);
    await failed(gateway.complete(request));
    const calls = adapters.a!.calls.length;
    expect(await failed(gateway.complete(request))).toMatchObject({ status: 503 });
    expect(adapters.a!.calls).toHaveLength(calls);
  });
});

describe('Router: half-open probes', () => {
  const circuitBreaker = { consecutiveFailures: 1, cooldownMs: 1000, maxCooldownMs: 4000 };

  it('gives the probe slot back when the probe ends in a client fault', async () => {
    const { gateway, adapters } = setup({ circuitBreaker }, ['a']);
    adapters.a!.push(
      { fail: { kind: 'server' } },
      { fail: { kind: 'context_length', status: 400 } },
    );
    await failed(gateway.complete(request));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await failed(gateway.complete(request))).toMatchObject({ status: 400 });
    expect((await gateway.complete(request)).provider).toBe('a');
  });

  it('gives the probe slot back when the client goes away during the probe', async () => {
    const { gateway, adapters } = setup({ circuitBreaker }, ['a']);
    adapters.a!.push({ fail: { kind: 'server' } }, { hang: true });
    await failed(gateway.complete(request));
    await vi.advanceTimersByTimeAsync(1000);
    const controller = new AbortController();
    const gone = failed(gateway.complete(request, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('client left'));
    expect(await gone).toBeInstanceOf(GatewayError);
    expect((await gateway.complete(request)).provider).toBe('a');
  });

  it('returns to a recovered primary within the capped cooldown', async () => {
    const { gateway, adapters } = setup({
      circuitBreaker: { ...circuitBreaker, consecutiveFailures: 2 },
    });
    adapters.a!.fallbackStep = { fail: { kind: 'overloaded', status: 503 } };
    for (let elapsed = 0; elapsed < 60_000; elapsed += 4000) {
      expect((await gateway.complete(request)).provider).toBe('b');
      await vi.advanceTimersByTimeAsync(4000);
    }
    adapters.a!.fallbackStep = { answer: 'back' };
    const recoveredAt = Date.now();
    let served = 'b';
    while (served !== 'a' && Date.now() - recoveredAt <= 30_000) {
      served = (await gateway.complete(request)).provider;
      if (served !== 'a') await vi.advanceTimersByTimeAsync(4000);
    }
    expect(served).toBe('a');
    expect(Date.now() - recoveredAt).toBeLessThanOrEqual(10_000);
  });
});

describe('Router: recovery with the default circuit settings', () => {
  it('returns to a recovered primary within 30 s', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 2, retryDelay: 100 });
    adapters.a!.fallbackStep = { fail: { kind: 'overloaded', status: 503 } };
    const downUntil = Date.now() + 60_000;
    while (Date.now() < downUntil) {
      expect((await settleAll(gateway.complete(request))).provider).toBe('b');
      await vi.advanceTimersByTimeAsync(4000);
    }
    adapters.a!.fallbackStep = { answer: 'back' };
    let served = 'b';
    while (served !== 'a' && Date.now() - downUntil <= 60_000) {
      served = (await settleAll(gateway.complete(request))).provider;
      if (served !== 'a') await vi.advanceTimersByTimeAsync(4000);
    }
    expect(served).toBe('a');
    console.info(`back on the primary ${Date.now() - downUntil} ms after recovery`);
    expect(Date.now() - downUntil).toBeLessThanOrEqual(30_000);
  });
});

async function settleAll<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.finally(() => (done = true)).catch(() => undefined);
  for (let index = 0; index < 400 && !done; index++) await vi.advanceTimersByTimeAsync(10);
  return promise;
}

/** An adapter that fails before sending anything, as a request-mapping bug would. */
class FailsBeforeSending extends ScriptedAdapter {
  override complete(): Promise<never> {
    return Promise.reject(new RangeError('Maximum call stack size exceeded'));
  }
}

describe('Router: failures before a request is sent', () => {
  it('never charges a local exception to the provider', async () => {
    const broken = new FailsBeforeSending('a');
    const config = parseConfig(
      {
        providers: [
          { id: 'a', name: 'A', type: 'openai-compatible', endpoint: 'http://127.0.0.1:9' },
        ],
        routes: [{ name: 'chat', targets: [{ provider: 'a' }] }],
        retryAttempts: 0,
        circuitBreaker: { consecutiveFailures: 2 },
      },
      scriptedRegistry({ a: broken }),
    );
    const gateway = new Gateway({
      config,
      adapters: scriptedRegistry({ a: broken }),
      monitorHealth: false,
    });
    for (let index = 0; index < 5; index++) {
      const error = await failed(gateway.complete(request));
      expect(error).toMatchObject({ status: 502 });
    }
    expect(gateway.health.availability('a')).toEqual({ available: true });
    expect(gateway.circuits.state('a')).toBe('closed');
  });
});
