import { Readable } from 'node:stream';
import type { StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/index.ts';
import { readAnthropicStream } from './anthropic-stream.ts';

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function responseOf(body: Readable): HttpResponse {
  return { status: 200, headers: {}, body: body as unknown as HttpResponse['body'] };
}

const context = {
  provider: 'claude',
  url: 'http://127.0.0.1:1/v1/messages',
  signal: new AbortController().signal,
  deadline: Date.now() + 60_000,
  model: 'asked-model',
};

async function read(...chunks: string[]): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of readAnthropicStream(
    responseOf(Readable.from(chunks.map((chunk) => Buffer.from(chunk)))),
    context,
  ))
    events.push(event);
  return events;
}

const messageStart = sse('message_start', {
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'claude-real',
    stop_reason: null,
    usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 },
  },
});

describe('readAnthropicStream', () => {
  it('emits text and several tool calls with their own indexes, then finish and cumulative usage', async () => {
    const stream =
      messageStart +
      sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
      sse('ping', {}) +
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Checking' } }) +
      sse('content_block_stop', { index: 0 }) +
      sse('content_block_start', {
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_a', name: 'f', input: {} },
      }) +
      sse('content_block_delta', {
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '' },
      }) +
      sse('content_block_delta', {
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"a":' },
      }) +
      sse('content_block_start', {
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_b', name: 'g', input: {} },
      }) +
      sse('content_block_delta', {
        index: 2,
        delta: { type: 'input_json_delta', partial_json: '{}' },
      }) +
      sse('content_block_delta', {
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '1}' },
      }) +
      sse('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } }) +
      sse('message_delta', { delta: {}, usage: { output_tokens: 9 } }) +
      sse('message_stop', {});
    // split mid-event to prove events are reassembled across network chunks
    const events = await read(stream.slice(0, 333), stream.slice(333));
    expect(events).toEqual([
      { type: 'start', id: 'msg_1', model: 'claude-real', created: expect.any(Number) as number },
      { type: 'text-delta', choiceIndex: 0, text: 'Checking' },
      {
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex: 0,
        id: 'toolu_a',
        name: 'f',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '{"a":' },
      {
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex: 1,
        id: 'toolu_b',
        name: 'g',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 1, argumentsDelta: '{}' },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '1}' },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'tool_calls', raw: 'tool_use' } },
      {
        type: 'usage',
        usage: { inputTokens: 15, outputTokens: 9, totalTokens: 24, cachedInputTokens: 5 },
      },
    ]);
  });

  it('maps the documented stop reasons', async () => {
    const finishFor = async (stopReason: string) => {
      const events = await read(
        messageStart +
          sse('message_delta', { delta: { stop_reason: stopReason } }) +
          sse('message_stop', {}),
      );
      return events.find((event) => event.type === 'finish');
    };
    expect(await finishFor('max_tokens')).toMatchObject({
      reason: { unified: 'length', raw: 'max_tokens' },
    });
    expect(await finishFor('model_context_window_exceeded')).toMatchObject({
      reason: { unified: 'length' },
    });
    expect(await finishFor('refusal')).toMatchObject({
      reason: { unified: 'content_filter', raw: 'refusal' },
    });
    expect(await finishFor('pause_turn')).toMatchObject({
      reason: { unified: 'stop', raw: 'pause_turn' },
    });
    expect(await finishFor('stop_sequence')).toMatchObject({ reason: { unified: 'stop' } });
  });

  it('ends with an error event when message_stop never comes', async () => {
    const events = await read(
      messageStart,
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'partial' } }),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'protocol', provider: 'claude' },
    });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('classifies an error event and stops reading', async () => {
    const events = await read(
      messageStart,
      sse('error', { error: { type: 'rate_limit_error', message: 'slow down' } }),
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'ignored' } }),
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'error']);
    expect(events[1]).toMatchObject({
      error: { kind: 'rate_limited', message: 'slow down', code: 'rate_limit_error' },
    });
  });

  it('turns a non-JSON data line into a protocol error', async () => {
    const events = await read('event: message_start\ndata: {oops\n\n');
    expect(events).toEqual([
      { type: 'error', error: expect.objectContaining({ kind: 'protocol' }) as unknown },
    ]);
  });

  it('refuses tool input for a block that never started as tool_use', async () => {
    const events = await read(
      messageStart,
      sse('content_block_delta', {
        index: 3,
        delta: { type: 'input_json_delta', partial_json: '{}' },
      }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('turns a broken connection into a connection error event', async () => {
    function* broken(): Generator<Buffer> {
      yield Buffer.from(messageStart);
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    }
    const events: StreamEvent[] = [];
    for await (const event of readAnthropicStream(responseOf(Readable.from(broken())), context))
      events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'connection' } });
  });

  it('destroys the body when the consumer stops early', async () => {
    const body = Readable.from([
      Buffer.from(messageStart),
      Buffer.from(
        sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'a' } }),
      ),
    ]);
    for await (const event of readAnthropicStream(responseOf(body), context))
      if (event.type === 'start') break;
    expect(body.destroyed).toBe(true);
  });
});
