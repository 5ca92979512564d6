import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { activeKeysFromConfig, KeyRing } from '../keys/key-ring.ts';
import { Gateway } from '../service/gateway.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { ChatEntry } from './chat-entry.ts';

const KEY = 'sk-sy-entry-key-0001';
let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.close();
});

function entry(
  adapter = new ScriptedAdapter('a'),
  limits?: { tokensPerMinute: number },
): ChatEntry {
  const config = parseConfig(
    {
      providers: [
        { id: 'a', name: 'a', type: 'openai-compatible', endpoint: 'http://127.0.0.1:9' },
      ],
      routes: [{ name: 'chat', targets: [{ provider: 'a' }], maxTokens: 100 }],
      keys: [{ name: 'dev', key: KEY, ...(limits ? { limits } : {}) }],
      retryAttempts: 0,
      enableHealthMonitoring: false,
    },
    scriptedRegistry({ a: adapter }),
  );
  gateway = new Gateway({
    config,
    adapters: scriptedRegistry({ a: adapter }),
    monitorHealth: false,
  });
  const keys = new KeyRing();
  keys.setKeys(activeKeysFromConfig(config.keys));
  return new ChatEntry({ gateway, keys });
}

const body = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };

describe('ChatEntry', () => {
  it("counts a key's tokens only when it has a tokens-per-minute limit", async () => {
    for (const limits of [undefined, { tokensPerMinute: 10_000 }]) {
      const chat = entry(new ScriptedAdapter('a'), limits);
      const record = vi.spyOn(gateway!.keyLimiter, 'recordTokens');
      const reply = await chat.chat({ authorization: `Bearer ${KEY}`, body });
      expect('response' in reply).toBe(true);
      // the answer's usage is settled after it is returned
      await new Promise((resolve) => setImmediate(resolve));
      expect(record.mock.calls.length, JSON.stringify(limits)).toBe(limits ? 1 : 0);
      await gateway!.close();
      gateway = undefined;
    }
  });

  it('answers a whole completion with the served-by headers', async () => {
    const reply = await entry().chat({ authorization: `Bearer ${KEY}`, body, requestId: 'r-1' });
    expect(reply.headers).toMatchObject({
      'x-request-id': 'r-1',
      'x-switchyard-provider': 'a',
      'x-switchyard-attempts': '1',
    });
    if (!('response' in reply)) throw new Error('expected a whole answer');
    expect(reply.response.choices[0]?.message.content).toBe('answer from a');
  });

  it('answers a streamed request with typed events, not bytes', async () => {
    const reply = await entry(new ScriptedAdapter('a', [{ stream: ['Hel', 'lo'] }])).chat({
      authorization: `Bearer ${KEY}`,
      body: { ...body, stream: true },
    });
    if (!('events' in reply)) throw new Error('expected a stream');
    const events: StreamEvent[] = [];
    for await (const event of reply.events) events.push(event);
    const text = events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
    expect(text).toBe('Hello');
  });

  it('refuses with the contract statuses before any provider is asked', async () => {
    const adapter = new ScriptedAdapter('a');
    const chat = entry(adapter);
    const refusals = [
      chat.chat({ authorization: 'Bearer sk-sy-wrong', body }),
      chat.chat({ authorization: `Bearer ${KEY}`, body: { model: 'chat' } }),
      chat.chat({ authorization: `Bearer ${KEY}`, body: { ...body, max_tokens: 500 } }),
      chat.chat({ authorization: `Bearer ${KEY}`, body, strategy: 'fastest-please' }),
    ];
    const statuses = await Promise.all(
      refusals.map((refusal) =>
        refusal.then(
          () => 200,
          (error: { status: number }) => error.status,
        ),
      ),
    );
    expect(statuses).toEqual([401, 400, 400, 400]);
    expect(adapter.calls).toHaveLength(0);
  });
});

describe('ChatEntry with a native dialect body', () => {
  it('hands the client body to the adapter, whole and streamed', async () => {
    const adapter = new ScriptedAdapter('a');
    const chat = entry(adapter);
    const native = {
      dialect: 'messages' as const,
      body: '{"model":"chat","max_tokens":5,"messages":[]}',
      headers: { 'anthropic-beta': 'x' },
    };
    await chat.chat({ authorization: `Bearer ${KEY}`, body, native });
    const streamed = await chat.chat({
      authorization: `Bearer ${KEY}`,
      body: { ...body, stream: true },
      native,
    });
    if (!('events' in streamed)) throw new Error('expected a stream');
    for await (const event of streamed.events) void event;
    expect(adapter.calls.map((call) => call.native)).toEqual([native, native]);
  });
});
