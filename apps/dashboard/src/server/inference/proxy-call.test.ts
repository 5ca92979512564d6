import { describe, expect, it } from 'vitest';
import { streamChat, type ChatStreamEvent, type ProxyHandler } from './proxy-call.ts';

function sse(chunks: string[], headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', ...headers },
  });
}

function handlerReturning(response: Response): ProxyHandler & { requests: Request[] } {
  const requests: Request[] = [];
  return {
    requests,
    handle: (request) => {
      requests.push(request);
      return Promise.resolve(response);
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

const chunk = (content: string) =>
  `data: {"model":"gpt-test","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}\n\n`;

describe('streamChat', () => {
  it('sends the request the way an app would and reports who served it, the text, usage and timings', async () => {
    const handler = handlerReturning(
      sse(
        [
          chunk('Hel'),
          chunk('lo'),
          'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
          'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}\n\n',
          'data: [DONE]\n\n',
        ],
        {
          'x-switchyard-provider': 'mock-openai',
          'x-switchyard-attempts': '2',
          'x-request-id': 'req-1',
        },
      ),
    );
    const events = await collect(
      streamChat(
        handler,
        { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
        { apiKey: 'sk-sy-test', provider: 'mock-openai' },
        steppingClock(),
      ),
    );
    const request = handler.requests[0]!;
    expect(request.url).toBe('http://switchyard.internal/v1/chat/completions');
    expect(request.headers.get('authorization')).toBe('Bearer sk-sy-test');
    expect(request.headers.get('x-switchyard-provider')).toBe('mock-openai');
    expect(await request.json()).toMatchObject({
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

  it('turns an error answer into an error event with the gateway’s message', async () => {
    const handler = handlerReturning(
      new Response(
        JSON.stringify({
          error: {
            message: 'All providers failed after retries and fallbacks: a (connection: refused)',
            type: 'upstream_error',
            param: null,
            code: 'upstream_failed',
          },
        }),
        { status: 502 },
      ),
    );
    const events = await collect(
      streamChat(handler, { messages: [] }, { apiKey: 'k' }, steppingClock()),
    );
    expect(events).toEqual([
      {
        type: 'error',
        status: 502,
        message: 'All providers failed after retries and fallbacks: a (connection: refused)',
        latencyMs: expect.any(Number) as number,
      },
    ]);
  });

  it('reports a stream cut before the end instead of a clean finish', async () => {
    const handler = handlerReturning(sse([chunk('partial')]));
    const events = await collect(
      streamChat(handler, { messages: [] }, { apiKey: 'k' }, steppingClock()),
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'delta', 'error']);
  });

  it('passes an error event inside the stream on', async () => {
    const handler = handlerReturning(
      sse([chunk('a'), 'data: {"error":{"message":"upstream reset"}}\n\n']),
    );
    const events = await collect(
      streamChat(handler, { messages: [] }, { apiKey: 'k' }, steppingClock()),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', message: 'upstream reset' });
  });
});
