import { Readable } from 'node:stream';
import type { StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/index.ts';
import { encodeEventStreamFrame } from '@switchyard/testkit';
import { readBedrockStream } from './bedrock-stream.ts';

function event(eventType: string, payload: Record<string, unknown>): Uint8Array {
  return encodeEventStreamFrame(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(payload)),
  );
}

function exception(exceptionType: string, message: string): Uint8Array {
  return encodeEventStreamFrame(
    {
      ':exception-type': exceptionType,
      ':content-type': 'application/json',
      ':message-type': 'exception',
    },
    Buffer.from(JSON.stringify({ message })),
  );
}

const context = {
  provider: 'bedrock',
  url: 'http://127.0.0.1:1/model/m/converse-stream',
  signal: new AbortController().signal,
  deadline: Date.now() + 60_000,
  model: 'm',
  id: 'req-1',
};

function responseOf(body: Readable): HttpResponse {
  return { status: 200, headers: {}, body: body as unknown as HttpResponse['body'] };
}

async function read(...frames: Uint8Array[]): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const item of readBedrockStream(
    responseOf(Readable.from([Buffer.concat(frames)])),
    context,
  ))
    events.push(item);
  return events;
}

const start = event('messageStart', { role: 'assistant', p: 'abc' });
const stop = (stopReason: string) => event('messageStop', { stopReason });

describe('readBedrockStream', () => {
  it('emits text (blocks without a start event), tool calls by block index, finish and usage', async () => {
    const events = await read(
      start,
      event('contentBlockDelta', {
        contentBlockIndex: 0,
        delta: { text: 'Let me check.' },
        p: 'abcdefgh',
      }),
      event('contentBlockStop', { contentBlockIndex: 0 }),
      event('contentBlockStart', {
        contentBlockIndex: 1,
        start: { toolUse: { toolUseId: 'tu_1', name: 'lookup' } },
      }),
      event('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"q":' } } }),
      event('contentBlockStart', {
        contentBlockIndex: 2,
        start: { toolUse: { toolUseId: 'tu_2', name: 'other' } },
      }),
      event('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"x"}' } } }),
      event('contentBlockDelta', {
        contentBlockIndex: 2,
        delta: { reasoningContent: { text: 'hidden' } },
      }),
      stop('tool_use'),
      event('metadata', {
        usage: { inputTokens: 20, outputTokens: 8, totalTokens: 28, cacheReadInputTokens: 4 },
        metrics: { latencyMs: 5 },
      }),
    );
    expect(events).toEqual([
      { type: 'start', id: 'req-1', model: 'm', created: expect.any(Number) as number },
      { type: 'text-delta', choiceIndex: 0, text: 'Let me check.' },
      {
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex: 0,
        id: 'tu_1',
        name: 'lookup',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '{"q":' },
      {
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex: 1,
        id: 'tu_2',
        name: 'other',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '"x"}' },
      { type: 'reasoning-delta', choiceIndex: 0, text: 'hidden' },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'tool_calls', raw: 'tool_use' } },
      {
        type: 'usage',
        usage: { inputTokens: 20, outputTokens: 8, totalTokens: 28, cachedInputTokens: 4 },
      },
    ]);
  });

  it('maps the documented stop reasons', async () => {
    const finishFor = async (reason: string) =>
      (await read(start, stop(reason))).find((item) => item.type === 'finish');
    expect(await finishFor('end_turn')).toMatchObject({
      reason: { unified: 'stop', raw: 'end_turn' },
    });
    expect(await finishFor('stop_sequence')).toMatchObject({ reason: { unified: 'stop' } });
    expect(await finishFor('max_tokens')).toMatchObject({ reason: { unified: 'length' } });
    expect(await finishFor('model_context_window_exceeded')).toMatchObject({
      reason: { unified: 'length' },
    });
    expect(await finishFor('guardrail_intervened')).toMatchObject({
      reason: { unified: 'content_filter', raw: 'guardrail_intervened' },
    });
    expect(await finishFor('content_filtered')).toMatchObject({
      reason: { unified: 'content_filter' },
    });
  });

  it('reports malformed model output as a failed attempt, not a finish', async () => {
    const events = await read(start, stop('malformed_tool_use'));
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'server', code: 'malformed_tool_use' },
    });
    expect(events.some((item) => item.type === 'finish')).toBe(false);
  });

  it.each([
    ['throttlingException', 'Too many tokens, please wait before trying again.', 'rate_limited'],
    ['serviceUnavailableException', 'Service unavailable', 'overloaded'],
    ['internalServerException', 'Internal error', 'server'],
    ['modelStreamErrorException', 'Model failed', 'server'],
    ['validationException', 'Input is too long for requested model.', 'context_length'],
    ['validationException', 'Malformed input request', 'bad_request'],
  ])(
    'turns a %s frame ("%s") into an error event of kind %s',
    async (exceptionType, message, kind) => {
      const events = await read(
        start,
        event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'a' } }),
        exception(exceptionType, message),
        stop('end_turn'),
      );
      expect(events.at(-1)).toMatchObject({
        type: 'error',
        error: { kind, message, provider: 'bedrock' },
      });
      expect(events.some((item) => item.type === 'finish')).toBe(false);
    },
  );

  it('turns an unmodelled error frame into an error event', async () => {
    const frame = encodeEventStreamFrame(
      { ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'boom' },
      new Uint8Array(0),
    );
    expect((await read(start, frame)).at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'server', message: 'boom', code: 'InternalFailure' },
    });
  });

  it('ends with a protocol error when messageStop never comes', async () => {
    const events = await read(
      start,
      event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'partial' } }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('refuses tool input for a block that never started as a tool call', async () => {
    const events = await read(
      start,
      event('contentBlockDelta', { contentBlockIndex: 4, delta: { toolUse: { input: '{}' } } }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('turns a corrupted frame into a protocol error event', async () => {
    const corrupted = Buffer.from(
      event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'x' } }),
    );
    corrupted[20] = (corrupted[20] ?? 0) ^ 0xff;
    const events = await read(start, corrupted);
    expect(events.map((item) => item.type)).toEqual(['start', 'error']);
    expect(events[1]).toMatchObject({ error: { kind: 'protocol' } });
  });

  it('destroys the body when the consumer stops early', async () => {
    const body = Readable.from([
      Buffer.from(start),
      Buffer.from(event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'a' } })),
    ]);
    for await (const item of readBedrockStream(responseOf(body), context))
      if (item.type === 'start') break;
    expect(body.destroyed).toBe(true);
  });
});
