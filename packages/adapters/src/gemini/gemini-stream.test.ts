import { Readable } from 'node:stream';
import type { StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/index.ts';
import { readGeminiStream } from './gemini-stream.ts';

function responseOf(...chunks: unknown[]): HttpResponse {
  const body = Readable.from(chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`));
  return { status: 200, headers: {}, body: body as unknown as HttpResponse['body'] };
}

async function eventsOf(response: HttpResponse): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const request = {
    signal: new AbortController().signal,
    deadline: Date.now() + 5_000,
    provider: 'google',
    url: 'http://gemini.test',
  };
  for await (const event of readGeminiStream(response, { ...request, model: 'gemini-2.5-flash' }))
    events.push(event);
  return events;
}

const text = (value: string, extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { role: 'model', parts: [{ text: value }] }, index: 0, ...extra }],
  responseId: 'r1',
});

describe('readGeminiStream', () => {
  it('reports a stream that ends without a finish reason as a protocol error', async () => {
    const events = await eventsOf(responseOf(text('Hel'), text('lo')));
    expect(events.map((event) => event.type)).toEqual([
      'start',
      'text-delta',
      'text-delta',
      'error',
    ]);
    expect(events.at(-1)).toMatchObject({ error: { kind: 'protocol' } });
  });

  it('leaves thought summaries out of the text', async () => {
    const events = await eventsOf(
      responseOf(
        {
          candidates: [{ content: { parts: [{ text: 'thinking…', thought: true }] }, index: 0 }],
          responseId: 'r1',
        },
        text('Answer', { finishReason: 'STOP' }),
      ),
    );
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', choiceIndex: 0, text: 'Answer' },
    ]);
  });

  it('turns a malformed function call into an error event instead of a finish', async () => {
    const events = await eventsOf(
      responseOf(text('', { finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage: 'bad call' })),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'server', code: 'MALFORMED_FUNCTION_CALL' },
    });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('finishes every candidate of a multi-candidate stream', async () => {
    const events = await eventsOf(
      responseOf({
        candidates: [
          { content: { parts: [{ text: 'a' }] }, index: 1, finishReason: 'MAX_TOKENS' },
          { content: { parts: [{ text: 'b' }] }, index: 0, finishReason: 'STOP' },
        ],
        usageMetadata: {
          promptTokenCount: 3,
          candidatesTokenCount: 2,
          thoughtsTokenCount: 4,
          cachedContentTokenCount: 1,
          totalTokenCount: 9,
        },
      }),
    );
    expect(events.filter((event) => event.type === 'finish')).toEqual([
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'STOP' } },
      { type: 'finish', choiceIndex: 1, reason: { unified: 'length', raw: 'MAX_TOKENS' } },
    ]);
    expect(events.find((event) => event.type === 'usage')).toEqual({
      type: 'usage',
      usage: {
        inputTokens: 3,
        outputTokens: 6,
        totalTokens: 9,
        cachedInputTokens: 1,
        reasoningTokens: 4,
      },
    });
  });
});
