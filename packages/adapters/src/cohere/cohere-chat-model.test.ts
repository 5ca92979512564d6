import {
  parseConfig,
  createAdapter,
  UpstreamError,
  type ChatRequest,
  type ProviderAdapter,
  type StreamEvent,
} from '@switchyard/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '../http/index.ts';
import { defaultAdapters } from '../registry.ts';
import { startCohereMock, validateCohere, type MockServer } from '@switchyard/testkit';
import { cohereModelInfo, createCohereAdapter } from './cohere-chat-model.ts';

const API_KEY = 'co-key';
const MODEL = 'command-a-03-2025';
let mock: MockServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  mock = await startCohereMock({ apiKey: API_KEY, models: [MODEL, 'command-r7b-12-2024'] });
  adapter = createCohereAdapter(providerAt(mock.url, API_KEY));
});

afterEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

function providerAt(endpoint: string, apiKey: string) {
  return parseConfig(
    {
      providers: [{ id: 'cohere', name: 'Cohere', type: 'cohere', endpoint, apiKey }],
    },
    defaultAdapters,
  ).providers[0]!;
}

function options(timeoutMs = 5_000, signal = new AbortController().signal) {
  return { signal, deadline: Date.now() + timeoutMs };
}

function call(request: Partial<ChatRequest>, timeoutMs?: number, signal?: AbortSignal) {
  return {
    request: {
      messages: [{ role: 'user' as const, content: 'Hello Cohere' }],
      ...request,
    } as ChatRequest,
    model: MODEL,
    options: options(timeoutMs, signal),
  };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const result: StreamEvent[] = [];
  for await (const event of events) result.push(event);
  return result;
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather',
    parameters: { type: 'object' },
    strict: true,
  },
};
const timeTool = { type: 'function' as const, function: { name: 'get_time' } };

describe('Cohere adapter: requests', () => {
  it('completes text and sends a request that matches the official schema', async () => {
    const response = await adapter.complete(
      call({
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Hello Cohere' },
              {
                type: 'image_url',
                image_url: { url: 'https://example.com/cat.png', detail: 'low' },
              },
            ],
          },
        ],
        temperature: 0.3,
        top_p: 1,
        max_completion_tokens: 50,
        stop: ['END'],
        seed: 3,
        frequency_penalty: 0.5,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'object' } },
        },
        metadata: { dropped: 'yes' },
      }),
    );
    expect(response.choices[0]?.message.content).toBe('Echo: Hello Cohere');
    expect(response.choices[0]?.finishReason).toEqual({ unified: 'stop', raw: 'COMPLETE' });
    expect(response.usage).toEqual({
      inputTokens: 4,
      outputTokens: 3,
      totalTokens: 7,
      cachedInputTokens: 0,
    });
    expect(response.model).toBe(MODEL);

    const sent = mock.requests[0]!;
    expect(sent.url).toBe('/v2/chat');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hello Cohere' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          ],
        },
      ],
      max_tokens: 50,
      stop_sequences: ['END'],
      temperature: 0.3,
      p: 0.99,
      seed: 3,
      frequency_penalty: 0.5,
      response_format: { type: 'json_object', json_schema: { type: 'object' } },
    });
    expect(validateCohere('ChatRequestV2', sent.body).errors).toBe('');
  });

  it('refuses what Cohere cannot honour before sending anything', async () => {
    expect(await rejection(adapter.complete(call({ n: 2 })))).toMatchObject({
      kind: 'bad_request',
      code: 'unsupported_parameter',
      param: 'n',
      retryable: false,
      provider: 'cohere',
    });
    expect((await rejection(adapter.complete(call({ temperature: 1.5 })))).param).toBe(
      'temperature',
    );
    expect((await rejection(adapter.complete(call({ presence_penalty: -1 })))).param).toBe(
      'presence_penalty',
    );
    expect((await rejection(adapter.stream(call({ logprobs: true })))).param).toBe('logprobs');
    expect(
      (await rejection(adapter.complete(call({ stop: ['a', 'b', 'c', 'd', 'e', 'f'] })))).param,
    ).toBe('stop');
    const audio = await rejection(
      adapter.complete(
        call({
          messages: [
            {
              role: 'user',
              content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }],
            },
          ],
        }),
      ),
    );
    expect(audio.param).toBe('messages[0].content[0]');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('Cohere adapter: tools', () => {
  it('maps tools, a named tool choice and the tool-call answer', async () => {
    const response = await adapter.complete(
      call({
        tools: [timeTool, weatherTool],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      }),
    );
    expect(response.choices[0]?.finishReason).toEqual({ unified: 'tool_calls', raw: 'TOOL_CALL' });
    const message = response.choices[0]?.message;
    expect(message?.content).toBeNull();
    expect(message?.tool_calls).toHaveLength(1);
    expect(message?.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"input":"Hello Cohere"}' },
    });
    expect(message?.tool_calls?.[0]?.id).toMatch(/^get_weather_mock\d+$/);
    expect(mock.requests[0]?.body).toMatchObject({
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } },
        },
      ],
      tool_choice: 'REQUIRED',
      strict_tools: true,
    });
    expect(validateCohere('ChatRequestV2', mock.requests[0]?.body).errors).toBe('');
  });

  it('sends the tool-call history back in Cohere form', async () => {
    await adapter.complete(
      call({
        tools: [timeTool],
        tool_choice: 'none',
        messages: [
          { role: 'user', content: 'What time is it?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '{"time":"12:00"}' },
        ],
      }),
    );
    const body = mock.requests[0]?.body;
    expect(body).toMatchObject({
      messages: [
        { role: 'user', content: 'What time is it?' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"time":"12:00"}' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
        },
      ],
      tool_choice: 'NONE',
    });
    expect(validateCohere('ChatRequestV2', body).errors).toBe('');
  });

  it('streams a tool call: id and name first, then argument fragments', async () => {
    const events = await collect(
      await adapter.stream(call({ tools: [weatherTool], tool_choice: 'required' })),
    );
    const deltas = events.filter((event) => event.type === 'tool-call-delta');
    expect(deltas[0]).toMatchObject({ toolCallIndex: 0, name: 'get_weather', argumentsDelta: '' });
    expect(deltas[0]?.id).toMatch(/^get_weather_mock\d+$/);
    expect(
      deltas.slice(1).every((delta) => delta.id === undefined && delta.toolCallIndex === 0),
    ).toBe(true);
    expect(deltas.map((delta) => delta.argumentsDelta).join('')).toBe('{"input":"Hello Cohere"}');
    expect(events.at(-1)).toEqual({
      type: 'finish',
      choiceIndex: 0,
      reason: { unified: 'tool_calls', raw: 'TOOL_CALL' },
    });
    expect(mock.requests[0]?.headers.accept).toBe('text/event-stream');
  });
});

describe('Cohere adapter: streaming', () => {
  it('streams text deltas, then usage and finish', async () => {
    const events = await collect(await adapter.stream(call({})));
    expect(events[0]).toMatchObject({ type: 'start', model: MODEL });
    expect((events[0] as { id?: string }).id).toMatch(/^mock-chat-\d+$/);
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
    expect(text).toHaveLength(4);
    expect(text.join('')).toBe('Echo: Hello Cohere');
    expect(events.slice(-2)).toEqual([
      {
        type: 'usage',
        usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5, cachedInputTokens: 0 },
      },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'COMPLETE' } },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('ends a cut stream with a connection error event, never a finish', async () => {
    mock.failNext({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(await adapter.stream(call({})));
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(2);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'connection' } });
  });

  it('turns an ERROR message-end into an error event', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(await adapter.stream(call({})));
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'error']);
    expect(events.at(-1)).toMatchObject({ error: { kind: 'server', code: 'ERROR' } });
  });

  it('turns garbage into a protocol error event', async () => {
    mock.failNext({ kind: 'garbage' });
    const events = await collect(await adapter.stream(call({})));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    mock.behaviour = { chunkIntervalMs: 100, streamChunks: 8 };
    for await (const event of await adapter.stream(call({})))
      if (event.type === 'text-delta') break;
    await expect.poll(() => mock.clientAborts, { timeout: 2_000 }).toBe(1);
  });
});

describe('Cohere adapter: failures', () => {
  it('classifies each vendor error', async () => {
    mock.failNext({ kind: 'server-error' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'server',
      status: 500,
    });

    mock.failNext({ kind: 'rate-limited', retryAfterMs: 4000 });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 4000,
      retryable: true,
    });

    mock.failNext({ kind: 'overloaded' });
    expect(await rejection(adapter.stream(call({})))).toMatchObject({
      kind: 'overloaded',
      status: 503,
    });

    mock.failNext({ kind: 'auth' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'auth',
      status: 401,
    });

    mock.failNext({ kind: 'context-length' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'context_length',
      status: 400,
    });

    mock.failNext({ kind: 'garbage' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({ kind: 'protocol' });

    expect(await rejection(adapter.complete({ ...call({}), model: 'command-x' }))).toMatchObject({
      kind: 'not_found',
      status: 404,
    });
  });

  it('times out a hanging upstream within the deadline', async () => {
    mock.failNext({ kind: 'hang' });
    const started = Date.now();
    expect(await rejection(adapter.stream(call({}, 300)))).toMatchObject({ kind: 'timeout' });
    // Cut by the 300 ms deadlines, not by a default timeout (30 s); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);

    mock.failNext({ kind: 'slow-headers', delayMs: 5_000 });
    expect(await rejection(adapter.complete(call({}, 300)))).toMatchObject({ kind: 'timeout' });
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    mock.failNext({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('client went away');
    const pending = adapter.stream(call({}, 5_000, controller.signal));
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('Cohere adapter: probe and models', () => {
  it('probes the models endpoint with one model', async () => {
    expect(await adapter.probe(options())).toMatchObject({
      check: 'GET /v1/models?page_size=1',
      status: 200,
    });
    expect(mock.requests[0]?.url).toBe('/v1/models?page_size=1');
    const wrongKey = createCohereAdapter(providerAt(mock.url, 'wrong'));
    expect(await rejection(wrongKey.probe(options()))).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('lists chat models', async () => {
    expect(await adapter.listModels(options())).toEqual([
      { id: MODEL, ownedBy: 'cohere', contextWindow: 256000, kind: 'chat' },
      { id: 'command-r7b-12-2024', ownedBy: 'cohere', contextWindow: 256000, kind: 'chat' },
    ]);
  });

  it('calls a model serving the embed endpoint an embedding model', () => {
    expect(cohereModelInfo({ name: 'embed-v4.0', endpoints: ['embed'] })).toEqual({
      id: 'embed-v4.0',
      ownedBy: 'cohere',
      kind: 'embedding',
    });
    expect(cohereModelInfo({ name: 'rerank-v3.5', endpoints: ['rerank'] })).toEqual({
      id: 'rerank-v3.5',
      ownedBy: 'cohere',
    });
  });

  it('is registered for the cohere type', () => {
    const provider = providerAt(mock.url, API_KEY);
    expect(createAdapter(defaultAdapters, provider)?.type).toBe('cohere');
  });
});
