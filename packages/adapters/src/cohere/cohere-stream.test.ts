import { Readable } from 'node:stream';
import type { StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/index.ts';
import { readCohereStream } from './cohere-stream.ts';

function responseOf(...data: string[]): HttpResponse {
  return {
    status: 200,
    headers: {},
    body: Readable.from(data.map((item) => `data: ${item}\n\n`)) as unknown as HttpResponse['body'],
  };
}

async function eventsOf(response: HttpResponse): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const request = {
    signal: new AbortController().signal,
    deadline: Date.now() + 5_000,
    provider: 'cohere',
    url: 'http://cohere.test',
  };
  for await (const event of readCohereStream(response, { ...request, model: 'command-a-03-2025' }))
    events.push(event);
  return events;
}

const start = JSON.stringify({ type: 'message-start', id: 'm1' });
const delta = (text: string) =>
  JSON.stringify({ type: 'content-delta', index: 0, delta: { message: { content: { text } } } });
const end = (delta: Record<string, unknown>) => JSON.stringify({ type: 'message-end', delta });

describe('readCohereStream', () => {
  it('treats [DONE] before message-end as an incomplete stream', async () => {
    const events = await eventsOf(responseOf(start, delta('Hi'), '[DONE]'));
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'error']);
    expect(events.at(-1)).toMatchObject({ error: { kind: 'protocol' } });
  });

  it('ignores what follows message-end', async () => {
    const events = await eventsOf(
      responseOf(start, delta('Hi'), end({ finish_reason: 'MAX_TOKENS' }), '[DONE]', 'not json'),
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'finish']);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      choiceIndex: 0,
      reason: { unified: 'length', raw: 'MAX_TOKENS' },
    });
  });

  it('reports a TIMEOUT finish as a timeout error and skips thinking deltas', async () => {
    const thinking = JSON.stringify({
      type: 'content-delta',
      index: 0,
      delta: { message: { content: { thinking: 'hmm' } } },
    });
    const events = await eventsOf(responseOf(start, thinking, end({ finish_reason: 'TIMEOUT' })));
    expect(events.map((event) => event.type)).toEqual(['start', 'error']);
    expect(events.at(-1)).toMatchObject({ error: { kind: 'timeout', code: 'TIMEOUT' } });
  });

  it('reports events that are not JSON as a protocol error', async () => {
    const events = await eventsOf(responseOf(start, '{"type": "content-delta", '));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });
});
