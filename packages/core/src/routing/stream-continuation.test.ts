import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { ConfigInput } from '../config/config-schema.ts';
import { Gateway } from '../service/gateway.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';

const request: ChatRequest = {
  model: 'chat',
  stream: true,
  messages: [{ role: 'user', content: 'count' }],
};

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(
  primary: ScriptedAdapter,
  fallback: ScriptedAdapter,
  options: { prefill?: boolean; continuation?: boolean } = {},
): Gateway {
  const input: ConfigInput = {
    providers: [
      {
        id: 'a',
        name: 'A',
        type: 'openai-compatible',
        endpoint: 'http://127.0.0.1:9',
        priority: 1,
      },
      {
        id: 'b',
        name: 'B',
        type: 'openai-compatible',
        endpoint: 'http://127.0.0.1:9',
        priority: 2,
        models: [{ name: 'chat', assistantPrefill: options.prefill ?? true }],
      },
    ],
    routes: [
      {
        name: 'chat',
        targets: [{ provider: 'a' }, { provider: 'b' }],
        ...(options.continuation === undefined ? {} : { continuation: options.continuation }),
      },
    ],
    retryAttempts: 0,
    enableHealthMonitoring: false,
  };
  const adapters = scriptedRegistry({ a: primary, b: fallback });
  gateway = new Gateway({ config: parseConfig(input, adapters), adapters, monitorHealth: false });
  return gateway;
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const textOf = (events: StreamEvent[]) =>
  events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

describe('mid-stream continuation', () => {
  it('continues a stream cut after its first tokens on a target that accepts a prefill', async () => {
    const primary = new ScriptedAdapter('a', [{ stream: ['one ', 'two ', 'three '], cutAfter: 2 }]);
    const fallback = new ScriptedAdapter('b', [{ stream: [' three ', 'four'] }]);
    const result = await setup(primary, fallback).stream(request);
    const events = await collect(result.output);

    expect(textOf(events)).toBe('one two three four');
    expect(events.find((event) => event.type === 'error')).toBeUndefined();
    // One identity for the client: the continuation's own start is replaced by the original's.
    const starts = events.filter((event) => event.type === 'start');
    expect(starts).toEqual([
      { type: 'start', id: 'stream-1', model: 'chat', created: 1 },
      { type: 'start', id: 'stream-1', model: 'chat', created: 1, continued: true },
    ]);
    const continued = fallback.calls[0]?.request.messages;
    expect(continued?.at(-1)).toEqual({ role: 'assistant', content: 'one two' });
    expect(continued?.slice(0, -1)).toEqual(request.messages);
    const outcome = await result.done;
    expect(outcome.errorMessage).toBeUndefined();
    expect(result.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['a', 'success'],
      ['a', 'error'],
      ['a', 'skipped'],
      ['b', 'success'],
    ]);
  });

  it('never sends a prefill to a target that does not declare it: the original error ends the stream', async () => {
    const primary = new ScriptedAdapter('a', [{ stream: ['one ', 'two '], cutAfter: 1 }]);
    const fallback = new ScriptedAdapter('b');
    const result = await setup(primary, fallback, { prefill: false }).stream(request);
    const events = await collect(result.output);

    expect(fallback.calls).toHaveLength(0);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.message).toBe('socket closed mid-stream');
    expect((await result.done).errorMessage).toContain('socket closed mid-stream');
  });

  it('ends with the original error when the continuation itself is refused', async () => {
    const primary = new ScriptedAdapter('a', [{ stream: ['one ', 'two '], cutAfter: 1 }]);
    const fallback = new ScriptedAdapter('b', [{ fail: { kind: 'bad_request', status: 400 } }]);
    const result = await setup(primary, fallback).stream(request);
    const events = await collect(result.output);

    expect(fallback.calls).toHaveLength(1);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.message).toBe('socket closed mid-stream');
  });

  it('is off for a route that turns it off', async () => {
    const primary = new ScriptedAdapter('a', [{ stream: ['one ', 'two '], cutAfter: 1 }]);
    const fallback = new ScriptedAdapter('b');
    const result = await setup(primary, fallback, { continuation: false }).stream(request);
    const events = await collect(result.output);

    expect(fallback.calls).toHaveLength(0);
    expect(events.at(-1)?.type).toBe('error');
  });

  it('does not continue an answer that already showed a tool call', async () => {
    const primary = new ScriptedAdapter('a');
    primary.stream = () =>
      Promise.resolve(
        (async function* (): AsyncGenerator<StreamEvent> {
          yield await Promise.resolve<StreamEvent>({
            type: 'start',
            id: 's',
            model: 'm',
            created: 1,
          });
          yield {
            type: 'tool-call-delta',
            choiceIndex: 0,
            toolCallIndex: 0,
            id: 'c1',
            name: 'f',
            argumentsDelta: '{',
          };
          throw new Error('socket closed');
        })(),
      );
    const fallback = new ScriptedAdapter('b');
    const result = await setup(primary, fallback).stream(request);
    const events = await collect(result.output);

    expect(fallback.calls).toHaveLength(0);
    expect(events.at(-1)?.type).toBe('error');
  });
});
