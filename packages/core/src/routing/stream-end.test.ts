import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import { makeUsage } from '../spec/chat-response.ts';
import { UpstreamError } from '../spec/errors.ts';
import type { AdapterCall, StreamCallOptions } from '../spec/provider-adapter.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { Gateway } from '../service/gateway.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';

const request: ChatRequest = {
  model: 'chat',
  stream: true,
  messages: [{ role: 'user', content: 'hello' }],
};

/** An upstream whose body ends at the HTTP level without `[DONE]`, as the adapter reports it. */
class EndsWithoutDone extends ScriptedAdapter {
  constructor(private readonly events: StreamEvent[]) {
    super('a');
  }

  override stream(_call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    const events = this.events;
    async function* body(): AsyncGenerator<StreamEvent> {
      for (const event of events) yield await Promise.resolve(event);
      yield {
        type: 'error',
        error: new UpstreamError({ kind: 'protocol', message: 'the stream ended before [DONE]' }),
      };
    }
    return Promise.resolve(body());
  }
}

function setup(adapter: ScriptedAdapter) {
  const config = parseConfig(
    {
      providers: [
        { id: 'a', name: 'A', type: 'openai-compatible', endpoint: 'http://127.0.0.1:9' },
      ],
      routes: [{ name: 'chat', targets: [{ provider: 'a' }] }],
    },
    scriptedRegistry({ a: adapter }),
  );
  return new Gateway({ config, adapters: scriptedRegistry({ a: adapter }), monitorHealth: false });
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const text: StreamEvent = { type: 'text-delta', choiceIndex: 0, text: 'Hi' };
const finish: StreamEvent = {
  type: 'finish',
  choiceIndex: 0,
  reason: { unified: 'stop', raw: 'stop' },
};
const usage: StreamEvent = { type: 'usage', usage: makeUsage(3, 1) };

describe('Router: a stream that ends without [DONE]', () => {
  it('is complete once it carried a finish reason', async () => {
    const gateway = setup(new EndsWithoutDone([text, finish]));
    const result = await gateway.stream(request);
    const events = await collect(result.output);
    // The upstream reported no usage: it is counted from the answer, and marked so.
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'finish', 'usage']);
    const counted = events.at(-1);
    expect(counted?.type === 'usage' && counted.usage).toMatchObject({
      outputTokens: 1,
      estimated: true,
    });
    const outcome = await result.done;
    expect(outcome.errorKind).toBeUndefined();
    // The request log says the figures were counted here, and which API the client spoke.
    expect(outcome).toMatchObject({ outputTokens: 1, usageEstimated: true, dialect: 'chat' });
  });

  it('logs reported usage as reported, with the dialect the caller named', async () => {
    const gateway = setup(new EndsWithoutDone([text, finish, usage]));
    const result = await gateway.stream(request, { dialect: 'messages' });
    await collect(result.output);
    const outcome = await result.done;
    expect(outcome).toMatchObject({ inputTokens: 3, outputTokens: 1, dialect: 'messages' });
    expect(outcome.usageEstimated).toBeUndefined();
  });

  it('is complete with the usage the client asked for', async () => {
    const gateway = setup(new EndsWithoutDone([text, finish, usage]));
    const result = await gateway.stream({ ...request, stream_options: { include_usage: true } });
    const events = await collect(result.output);
    expect(events.at(-1)?.type).toBe('usage');
  });

  it('is complete with a counted usage when the usage the client asked for never came', async () => {
    const gateway = setup(new EndsWithoutDone([text, finish]));
    const result = await gateway.stream({ ...request, stream_options: { include_usage: true } });
    const events = await collect(result.output);
    const last = events.at(-1);
    expect(last?.type === 'usage' && last.usage.estimated).toBe(true);
    expect((await result.done).errorKind).toBeUndefined();
  });

  it('is cut when it stopped before any finish reason', async () => {
    const gateway = setup(new EndsWithoutDone([text]));
    const result = await gateway.stream(request);
    const events = await collect(result.output);
    expect(events.at(-1)?.type).toBe('error');
    expect((await result.done).errorKind).toBe('protocol');
  });
});
