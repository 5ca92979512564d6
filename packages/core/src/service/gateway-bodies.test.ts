// Body logging: off by default; when on, each request's `request` event carries the request and
// the answer (a stream's text as far as it went), masked and capped. A route's or a key's own
// switch overrides the global one.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { RequestOutcome } from '../metrics/gateway-events.ts';
import { MASKED } from '../metrics/body-capture.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { Gateway } from './gateway.ts';

const request: ChatRequest = {
  model: 'chat',
  messages: [{ role: 'user', content: 'my key is sk-proj-AbCdEfGhIjKlMnOpQrStUv, say hi' }],
};

function setup(adapter: ScriptedAdapter, route: { logBodies?: boolean } = {}) {
  const registry = scriptedRegistry({ a: adapter });
  const config = parseConfig(
    {
      providers: [
        { id: 'a', name: 'A', type: 'openai-compatible', endpoint: 'http://127.0.0.1:9' },
      ],
      routes: [{ name: 'chat', targets: [{ provider: 'a' }], ...route }],
      retryAttempts: 0,
    },
    registry,
  );
  const gateway = new Gateway({ config, adapters: registry, monitorHealth: false });
  const events: RequestOutcome[] = [];
  gateway.events.on('request', (outcome) => events.push(outcome));
  return { gateway, events };
}

async function drain(events: AsyncIterable<unknown>): Promise<void> {
  for await (const event of events) void event;
}

describe('body logging', () => {
  it('keeps no body unless turned on', async () => {
    const { gateway, events } = setup(new ScriptedAdapter('a', [{ answer: 'hi' }]));
    await (
      await gateway.complete(request)
    ).done;
    expect(events[0]).toBeDefined();
    expect(events[0]?.requestBody).toBeUndefined();
    expect(events[0]?.responseBody).toBeUndefined();
  });

  it('keeps the request and the answer, with credentials masked', async () => {
    const { gateway, events } = setup(new ScriptedAdapter('a', [{ answer: 'hi there' }]));
    gateway.setBodyLogging({ enabled: true, maxBytes: 10_000 });
    await (
      await gateway.complete(request)
    ).done;
    expect(events[0]?.requestBody).toMatchObject({
      messages: [{ role: 'user', content: `my key is ${MASKED}, say hi` }],
    });
    expect(events[0]?.responseBody).toMatchObject({
      choices: [{ message: { content: 'hi there' } }],
    });
  });

  it('keeps what a stream delivered, also when it was cut', async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('a', [{ stream: ['Hel', 'lo', ' wor', 'ld'], cutAfter: 2 }]),
    );
    gateway.setBodyLogging({ enabled: true, maxBytes: 10_000 });
    const result = await gateway.stream({ ...request, stream: true });
    await drain(result.output);
    await result.done;
    const logged = events.at(-1);
    expect(logged?.responseBody).toMatchObject({ content: 'Hello', complete: false });
    expect(logged?.errorKind).toBeDefined();
  });

  it('keeps the request of a request that failed, and caps large bodies', async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('a', [], { fail: { kind: 'auth', status: 401 } }),
    );
    gateway.setBodyLogging({ enabled: true, maxBytes: 64 });
    await expect(gateway.complete(request)).rejects.toThrow();
    const logged = events.at(-1);
    expect(logged?.status).toBeGreaterThanOrEqual(400);
    expect(logged?.requestBody).toMatchObject({ truncated: true });
    expect(logged?.responseBody).toBeUndefined();
  });

  it('follows the route over the global switch, and the key over both', async () => {
    const answers = Array.from({ length: 4 }, () => ({ answer: 'hi' }));
    const on = setup(new ScriptedAdapter('a', answers), { logBodies: true });
    await (
      await on.gateway.complete(request)
    ).done;
    expect(on.events.at(-1)?.requestBody).toMatchObject({ model: 'chat' });
    await (
      await on.gateway.complete(request, { logBodies: false })
    ).done;
    expect(on.events.at(-1)?.requestBody).toBeUndefined();

    const off = setup(new ScriptedAdapter('a', answers), { logBodies: false });
    off.gateway.setBodyLogging({ enabled: true, maxBytes: 10_000 });
    const streamed = await off.gateway.stream({ ...request, stream: true });
    await drain(streamed.output);
    await streamed.done;
    expect(off.events.at(-1)?.requestBody).toBeUndefined();
    expect(off.events.at(-1)?.responseBody).toBeUndefined();
    await (
      await off.gateway.complete(request, { logBodies: true })
    ).done;
    expect(off.events.at(-1)?.responseBody).toMatchObject({
      choices: [{ message: { content: 'hi' } }],
    });
  });

  it('keeps a failed request by its route and key switches too', async () => {
    const { gateway, events } = setup(
      new ScriptedAdapter('a', [], { fail: { kind: 'auth', status: 401 } }),
      { logBodies: true },
    );
    await expect(gateway.complete(request, { logBodies: false })).rejects.toThrow();
    expect(events.at(-1)?.requestBody).toBeUndefined();
    await expect(gateway.complete(request)).rejects.toThrow();
    expect(events.at(-1)?.requestBody).toMatchObject({ model: 'chat' });
  });
});
