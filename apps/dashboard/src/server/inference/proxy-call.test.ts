import { describe, expect, it } from 'vitest';
import {
  AllProvidersFailedError,
  UpstreamError,
  type ChatCall,
  type ChatReply,
  type StreamEvent,
} from '@switchyard/core';
import { streamChat, type ChatEntryPort, type ChatStreamEvent } from './proxy-call.ts';

async function* from(events: StreamEvent[], cut?: Error): AsyncGenerator<StreamEvent> {
  for (const event of events) yield await Promise.resolve(event);
  if (cut) throw cut;
}

function streamed(
  events: AsyncIterable<StreamEvent>,
  headers: Record<string, string> = {},
): ChatReply {
  return { status: 200, headers, request: { messages: [] }, events, model: 'gpt-configured' };
}

function entryAnswering(answer: () => Promise<ChatReply>): ChatEntryPort & { calls: ChatCall[] } {
  const calls: ChatCall[] = [];
  return {
    calls,
    chat: (call) => {
      calls.push(call);
      return answer();
    },
  };
}

function steppingClock() {
  let now = 1_000;
  return { now: () => (now += 10), sleep: () => Promise.resolve() };
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const text = (value: string): StreamEvent => ({ type: 'text-delta', choiceIndex: 0, text: value });

describe('streamChat', () => {
  it('sends the request the way an app would and reports who served it, the text, usage and timings', async () => {
    const entry = entryAnswering(() =>
      Promise.resolve(
        streamed(
          from([
            { type: 'start', id: 'chatcmpl-1', model: 'gpt-test', created: 1 },
            text('Hel'),
            text('lo'),
            { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'stop' } },
            { type: 'usage', usage: { inputTokens: 7, outputTokens: 2, totalTokens: 9 } },
          ]),
          {
            'x-switchyard-provider': 'mock-openai',
            'x-switchyard-attempts': '2',
            'x-request-id': 'req-1',
          },
        ),
      ),
    );
    const events = await collect(
      streamChat(
        entry,
        { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
        { apiKey: 'sk-sy-test', provider: 'mock-openai' },
        steppingClock(),
      ),
    );
    const call = entry.calls[0]!;
    expect(call.authorization).toBe('Bearer sk-sy-test');
    expect(call.pinnedProvider).toBe('mock-openai');
    expect(call.body).toMatchObject({
      model: 'chat',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(events[0]).toMatchObject({
      type: 'start',
      provider: 'mock-openai',
      attempts: '2',
      requestId: 'req-1',
    });
    expect(
      events
        .filter((event) => event.type === 'delta')
        .map((event) => (event.type === 'delta' ? event.text : '')),
    ).toEqual(['Hel', 'lo']);
    const done = events.at(-1);
    expect(done).toMatchObject({
      type: 'done',
      model: 'gpt-test',
      finishReason: 'stop',
      usage: { inputTokens: 7, outputTokens: 2 },
    });
    if (done?.type !== 'done') throw new Error('no done event');
    expect(done.firstTokenMs).toBeGreaterThan(0);
    expect(done.latencyMs).toBeGreaterThan(done.firstTokenMs ?? 0);
  });

  it('reads pass-through chunks without a second wire format', async () => {
    const chunk = (data: object, hasOutput: boolean): StreamEvent => ({
      type: 'openai-chunk',
      data: JSON.stringify(data),
      hasOutput,
    });
    const entry = entryAnswering(() =>
      Promise.resolve(
        streamed(
          from([
            chunk(
              {
                model: 'gpt-upstream',
                choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' } }],
              },
              true,
            ),
            chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }, false),
          ]),
        ),
      ),
    );
    const events = await collect(
      streamChat(entry, { messages: [] }, { apiKey: 'k' }, steppingClock()),
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'delta', 'done']);
    expect(events.at(-1)).toMatchObject({
      model: 'gpt-upstream',
      finishReason: 'length',
      usage: null,
    });
  });

  it('turns an error answer into an error event with the gateway’s message', async () => {
    const entry = entryAnswering(() =>
      Promise.reject(
        new AllProvidersFailedError([
          {
            provider: 'a',
            model: 'm',
            outcome: 'error',
            kind: 'connection',
            message: 'refused',
            latencyMs: 1,
          },
        ]),
      ),
    );
    const events = await collect(
      streamChat(entry, { messages: [] }, { apiKey: 'k' }, steppingClock()),
    );
    expect(events).toEqual([
      {
        type: 'error',
        status: 502,
        message:
          'No healthy providers available: every provider failed after retries and fallbacks: a (connection)',
        latencyMs: expect.any(Number) as number,
      },
    ]);
  });

  it('reports a stream cut before the end instead of a clean finish', async () => {
    const entry = entryAnswering(() =>
      Promise.resolve(streamed(from([text('partial')], new Error('socket hang up')))),
    );
    const events = await collect(
      streamChat(entry, { messages: [] }, { apiKey: 'k' }, steppingClock()),
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'delta', 'error']);
  });

  it('passes an error event inside the stream on, classified, without the upstream’s text', async () => {
    const reset = new UpstreamError({
      kind: 'connection',
      message: 'upstream reset',
      provider: 'a',
    });
    const entry = entryAnswering(() =>
      Promise.resolve(streamed(from([text('a'), { type: 'error', error: reset }]))),
    );
    const events = await collect(
      streamChat(entry, { messages: [] }, { apiKey: 'k' }, steppingClock()),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      message: 'a could not be reached (connection)',
    });
  });
});
