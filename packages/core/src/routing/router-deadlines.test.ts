import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { ConfigInput } from '../config/config-schema.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
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
      })),
      routes: [{ name: 'chat', targets: ids.map((id) => ({ provider: id })) }],
      retryAttempts: 2,
      retryDelay: 100,
      timeout: 1000,
      requestTimeout: 10_000,
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

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Router: first-token deadline and timeouts', () => {
  it('counts the wait for response headers against the first-token deadline', async () => {
    const { gateway, adapters } = setup({ firstTokenTimeout: 500, timeout: 5000 });
    adapters.a!.push({ hang: true });
    const result = await settle(gateway.stream({ ...request, stream: true }));
    expect(result.provider).toBe('b');
    expect(adapters.b!.calls[0]!.at - adapters.a!.calls[0]!.at).toBe(500);
    expect(adapters.a!.calls[0]!.signal.aborted).toBe(true);
  });

  it('fails over at once after a timeout instead of retrying a silent provider', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 3 });
    adapters.a!.fallbackStep = { hang: true };
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('b');
    expect(adapters.a!.calls).toHaveLength(1);
  });

  it('still retries a timeout on the same target when it is the only one', async () => {
    const { gateway, adapters } = setup({ retryAttempts: 1 }, ['a']);
    adapters.a!.push({ hang: true });
    const result = await settle(gateway.complete(request));
    expect(result.provider).toBe('a');
    expect(adapters.a!.calls).toHaveLength(2);
  });
});

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('Router: deadlines once a stream has started', () => {
  it('cuts a stalled stream with an error event after the idle timeout', async () => {
    const { gateway, adapters } = setup({ streamIdleTimeout: 1000 });
    adapters.a!.push({ stream: ['one', 'two'], gapMs: 60_000 });
    const started = Date.now();
    const result = await settle(gateway.stream({ ...request, stream: true }));
    const events = await settle(collect(result.output));
    expect(Date.now() - started).toBeLessThanOrEqual(1100);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'timeout', code: 'stream_idle_timeout' },
    });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(adapters.a!.calls[0]!.signal.aborted).toBe(true);
  });

  it('takes the idle timeout from the route before the provider and the gateway', async () => {
    const { gateway, adapters } = setup({
      streamIdleTimeout: 5000,
      routes: [{ name: 'chat', targets: [{ provider: 'a' }], streamIdleTimeout: 500 }],
    });
    adapters.a!.push({ stream: ['one', 'two'], gapMs: 60_000 });
    const started = Date.now();
    const result = await settle(gateway.stream({ ...request, stream: true }));
    await settle(collect(result.output));
    expect(Date.now() - started).toBeLessThanOrEqual(600);
  });

  it('ends a trickling stream at the request deadline with an error event', async () => {
    const { gateway, adapters } = setup({ requestTimeout: 3000, streamIdleTimeout: 10_000 });
    adapters.a!.push({ stream: Array.from({ length: 20 }, () => 'x'), gapMs: 900 });
    const started = Date.now();
    const result = await settle(gateway.stream({ ...request, stream: true }));
    const events = await settle(collect(result.output));
    expect(Date.now() - started).toBeLessThanOrEqual(3050);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'timeout', code: 'deadline_exceeded' },
    });
    expect(adapters.a!.calls[0]!.signal.aborted).toBe(true);
  });
});
