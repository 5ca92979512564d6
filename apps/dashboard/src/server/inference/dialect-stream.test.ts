import { describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from './proxy-call.ts';
import { dialectBody, streamDialect, type FetchPort } from './dialect-stream.ts';

function steppingClock() {
  let now = 1_000;
  return { now: () => (now += 10), sleep: () => Promise.resolve() };
}

function sse(frames: { event?: string; data: unknown }[], headers: Record<string, string> = {}) {
  const text = frames
    .map(
      (frame) =>
        `${frame.event ? `event: ${frame.event}\n` : ''}data: ${JSON.stringify(frame.data)}\n\n`,
    )
    .join('');
  // Split into small pieces so frames arrive across reads.
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += 7)
        controller.enqueue(bytes.slice(offset, offset + 7));
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', ...headers },
  });
}

function answering(response: () => Response): FetchPort & { requests: Request[] } {
  const requests: Request[] = [];
  const port = (request: Request) => {
    requests.push(request);
    return Promise.resolve(response());
  };
  return Object.assign(port, { requests });
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const conversation = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi' },
  { role: 'assistant' as const, content: 'Hello.' },
  { role: 'user' as const, content: 'Again' },
];

describe('dialectBody', () => {
  it('writes the conversation as a Responses request: instructions, input items, nothing stored', () => {
    expect(
      dialectBody('responses', { model: 'chat', messages: conversation, maxTokens: 50 }),
    ).toEqual({
      path: '/v1/responses',
      body: {
        model: 'chat',
        instructions: 'Be brief.',
        input: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello.' },
          { role: 'user', content: 'Again' },
        ],
        stream: true,
        store: false,
        max_output_tokens: 50,
      },
    });
  });

  it('writes it as a Messages request with a system prompt and the required max_tokens', () => {
    const { path, body } = dialectBody('messages', {
      model: 'chat',
      messages: conversation,
      temperature: 0.2,
    });
    expect(path).toBe('/v1/messages');
    expect(body).toMatchObject({
      model: 'chat',
      system: 'Be brief.',
      max_tokens: 1024,
      temperature: 0.2,
      stream: true,
    });
    expect(body.messages).toHaveLength(3);
  });
});

describe('streamDialect', () => {
  it('reads a Responses stream: who served it, text, usage, finish and timings', async () => {
    const port = answering(() =>
      sse(
        [
          { event: 'response.created', data: { response: { model: 'gpt-x' } } },
          { event: 'response.output_text.delta', data: { delta: 'Hel' } },
          { event: 'response.output_text.delta', data: { delta: 'lo' } },
          {
            event: 'response.incomplete',
            data: {
              response: {
                model: 'gpt-x',
                incomplete_details: { reason: 'max_output_tokens' },
                usage: { input_tokens: 9, output_tokens: 2 },
              },
            },
          },
        ],
        { 'x-switchyard-provider': 'mock', 'x-request-id': 'req-1', 'x-switchyard-attempts': '1' },
      ),
    );
    const events = await collect(
      streamDialect(
        port,
        'responses',
        { messages: conversation },
        { apiKey: 'sk-sy-k', provider: 'mock' },
        steppingClock(),
      ),
    );
    expect(events[0]).toMatchObject({ type: 'start', provider: 'mock', requestId: 'req-1' });
    expect(events.filter((event) => event.type === 'delta')).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      model: 'gpt-x',
      finishReason: 'length',
      usage: { inputTokens: 9, outputTokens: 2 },
    });
    const [request] = port.requests;
    expect(new URL(request!.url).pathname).toBe('/v1/responses');
    expect(request!.headers.get('authorization')).toBe('Bearer sk-sy-k');
    expect(request!.headers.get('x-switchyard-provider')).toBe('mock');
  });

  it('reads a Messages stream, with the usage split over message_start and message_delta', async () => {
    const port = answering(() =>
      sse([
        {
          event: 'message_start',
          data: {
            type: 'message_start',
            message: { model: 'claude-x', usage: { input_tokens: 12 } },
          },
        },
        {
          event: 'content_block_delta',
          data: { delta: { type: 'thinking_delta', thinking: 'h' } },
        },
        { event: 'content_block_delta', data: { delta: { type: 'text_delta', text: 'Hi' } } },
        {
          event: 'message_delta',
          data: { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } },
        },
        { event: 'message_stop', data: { type: 'message_stop' } },
      ]),
    );
    const events = await collect(
      streamDialect(
        port,
        'messages',
        { model: 'chat', messages: conversation },
        { apiKey: 'k' },
        steppingClock(),
      ),
    );
    expect(events.filter((event) => event.type === 'delta')).toEqual([
      { type: 'delta', text: 'Hi' },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      model: 'claude-x',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(port.requests[0]!.headers.get('anthropic-version')).toBe('2023-06-01');
  });

  it('ends with the error of an error event, a failed response, or an HTTP error', async () => {
    const failed = await collect(
      streamDialect(
        answering(() =>
          sse([
            { event: 'response.output_text.delta', data: { delta: 'He' } },
            {
              event: 'response.failed',
              data: { response: { error: { message: 'upstream stream broke' } } },
            },
          ]),
        ),
        'responses',
        { messages: conversation },
        { apiKey: 'k' },
        steppingClock(),
      ),
    );
    expect(failed.at(-1)).toMatchObject({ type: 'error', message: 'upstream stream broke' });

    const refused = await collect(
      streamDialect(
        answering(
          () =>
            new Response(
              JSON.stringify({
                type: 'error',
                error: { type: 'rate_limit_error', message: 'slow down' },
              }),
              { status: 429, headers: { 'content-type': 'application/json' } },
            ),
        ),
        'messages',
        { model: 'chat', messages: conversation },
        { apiKey: 'k' },
        steppingClock(),
      ),
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ type: 'error', message: 'slow down', status: 429 });
  });

  it('does not call a stream that stopped before its closing event complete', async () => {
    const events = await collect(
      streamDialect(
        answering(() =>
          sse([
            { event: 'content_block_delta', data: { delta: { type: 'text_delta', text: 'Hi' } } },
          ]),
        ),
        'messages',
        { model: 'chat', messages: conversation },
        { apiKey: 'k' },
        steppingClock(),
      ),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      message: 'The stream ended before its closing event',
    });
  });
});
