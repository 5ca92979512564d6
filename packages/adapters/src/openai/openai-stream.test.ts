import { Readable } from 'node:stream';
import type { StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/index.ts';
import { readOpenAIStream } from './openai-stream.ts';

const context = { provider: 'azure-east', vendor: 'Azure OpenAI' };

function responseOf(frames: string[]): { response: HttpResponse; body: Readable } {
  const body = Readable.from(frames.map((frame) => Buffer.from(frame)));
  return {
    response: {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: body as unknown as HttpResponse['body'],
    },
    body,
  };
}

async function eventsOf(frames: string[]): Promise<StreamEvent[]> {
  const { response } = responseOf(frames);
  const request = {
    signal: new AbortController().signal,
    deadline: Date.now() + 5_000,
    provider: context.provider,
    url: 'http://127.0.0.1/v1/chat/completions',
  };
  const events: StreamEvent[] = [];
  for await (const event of readOpenAIStream(response, { ...request, ...context }))
    events.push(event);
  return events;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe('readOpenAIStream', () => {
  it('forwards chunk text unchanged, with what routing and metrics need', async () => {
    const usage = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\n`;
    const frames = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hi' }),
      chunk({}, 'stop'),
      usage,
      'data: [DONE]\n\n',
    ];
    const events = await eventsOf(frames);
    expect(
      events.map((event) =>
        event.type === 'openai-chunk' ? `data: ${event.data}\n\n` : event.type,
      ),
    ).toEqual(frames.slice(0, 4));
    expect(events.map((event) => event.type === 'openai-chunk' && event.hasOutput)).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(events[2]).toMatchObject({ finish: { unified: 'stop', raw: 'stop' } });
    expect(events[3]).toMatchObject({ usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } });
  });

  it("drops Azure's leading prompt-filter chunk but keeps annotated content", async () => {
    const promptFilter = `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] })}\n\n`;
    const oldStyle = `data: ${JSON.stringify({ choices: [], id: '', prompt_annotations: [{ prompt_index: 0 }] })}\n\n`;
    const annotated = `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }] })}\n\n`;
    const events = await eventsOf([
      promptFilter,
      oldStyle,
      annotated,
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ]);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'openai-chunk', hasOutput: true });
  });

  it('does not mistake the word "error" in content for an error', async () => {
    const events = await eventsOf([
      chunk({ content: 'He said "error"' }),
      chunk({ content: 'error' }),
      chunk({}, 'stop'),
      'data: [DONE]\n\n',
    ]);
    expect(events.every((event) => event.type === 'openai-chunk')).toBe(true);
    expect(events).toHaveLength(3);
  });

  it('ends with an error event on an in-stream error, OpenAI or old vLLM shaped', async () => {
    const openai = await eventsOf([
      chunk({ content: 'Hi' }),
      `data: {"error":{"message":"overloaded","type":"server_error","param":null,"code":null}}\n\n`,
    ]);
    expect(openai.at(-1)).toMatchObject({
      type: 'error',
      error: {
        kind: 'server',
        provider: 'azure-east',
        message: 'Azure OpenAI stream error: overloaded',
      },
    });
    const vllm = await eventsOf([
      chunk({ content: 'Hi' }),
      `data: {"object":"error","message":"engine dead","type":"InternalServerError","param":null,"code":500}\n\n`,
    ]);
    expect(vllm.at(-1)).toMatchObject({ type: 'error', error: { kind: 'server', status: 500 } });
  });

  it('never ends cleanly without [DONE]', async () => {
    const events = await eventsOf([chunk({ content: 'Hi' }), chunk({}, 'stop')]);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'protocol', message: 'Azure OpenAI: the stream ended before [DONE]' },
    });
  });

  it('stops at unreadable data with a protocol error', async () => {
    const events = await eventsOf([
      chunk({ content: 'Hi' }),
      'data: {"id":\n\n',
      chunk({ content: 'never seen' }),
      'data: [DONE]\n\n',
    ]);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('reads what follows [DONE] without emitting it, so the connection is reusable', async () => {
    const { response, body } = responseOf([
      chunk({ content: 'Hi' }),
      'data: [DONE]\n\n',
      chunk({ content: 'late' }),
    ]);
    const request = {
      signal: new AbortController().signal,
      deadline: Date.now() + 5_000,
      provider: 'p',
      url: 'http://127.0.0.1/',
    };
    const events: StreamEvent[] = [];
    for await (const event of readOpenAIStream(response, { ...request, ...context }))
      events.push(event);
    expect(events).toHaveLength(1);
    expect(body.readableEnded).toBe(true);
  });
});
