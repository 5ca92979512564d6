import {
  parseConfig,
  createAdapter,
  providerSchema,
  UpstreamError,
  type ChatRequest,
  type ProviderAdapter,
  type StreamEvent,
} from '@switchyard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeHttpAgent } from '../http/index.ts';
import { defaultAdapters } from '../registry.ts';
import { startAnthropicMock, type MockFault, type MockServer } from '@switchyard/testkit';
import { createAnthropicAdapter } from './anthropic-chat-model.ts';

const API_KEY = 'sk-ant-adapter-test';
let mock: MockServer;
let adapter: ProviderAdapter;

function makeAdapter(overrides: Record<string, unknown> = {}): ProviderAdapter {
  return createAnthropicAdapter(
    providerSchema.parse({
      id: 'claude',
      name: 'Anthropic',
      type: 'anthropic',
      endpoint: mock.url,
      apiKey: API_KEY,
      ...overrides,
    }),
  );
}

function options(timeoutMs = 5_000, signal = new AbortController().signal) {
  return { signal, deadline: Date.now() + timeoutMs };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

const chat = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

const weatherTools: Partial<ChatRequest> = {
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    },
    {
      type: 'function',
      function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
    },
  ],
};

beforeAll(async () => {
  mock = await startAnthropicMock({
    apiKey: API_KEY,
    models: ['claude-a', 'claude-b', 'claude-c'],
  });
  adapter = makeAdapter();
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

describe('Anthropic adapter: answers', () => {
  it('completes text and sends the Messages API request', async () => {
    const response = await adapter.complete({
      model: 'claude-sonnet-4-5',
      request: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello world' },
        ],
        temperature: 0.5,
        stop: 'END',
      },
      options: options(),
    });
    expect(response.choices).toHaveLength(1);
    expect(response.choices[0]?.message.content).toBe('Echo: hello world');
    expect(response.choices[0]?.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(response.model).toBe('claude-sonnet-4-5');
    expect(response.id).toMatch(/^msg_/);
    expect(response.usage).toEqual({
      inputTokens: 4,
      outputTokens: 3,
      totalTokens: 7,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
    });

    const sent = mock.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe(API_KEY);
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello world' }] }],
      temperature: 0.5,
      stop_sequences: ['END'],
    });
  });

  it('uses the configured version, default max tokens and extra headers', async () => {
    const configured = makeAdapter({
      endpoint: `${mock.url}/v1/`,
      config: {
        anthropicVersion: '2024-01-01',
        defaultMaxTokens: 256,
        headers: { 'anthropic-beta': 'feature-x' },
      },
    });
    await configured.complete({ model: 'm', request: chat('hi'), options: options() });
    await configured.complete({
      model: 'm',
      request: chat('hi', { max_tokens: 10, max_completion_tokens: 20 }),
      options: options(),
    });
    expect(mock.requests[0]?.url).toBe('/v1/messages');
    expect(mock.requests[0]?.headers['anthropic-version']).toBe('2024-01-01');
    expect(mock.requests[0]?.headers['anthropic-beta']).toBe('feature-x');
    expect((mock.requests[0]?.body as { max_tokens: number }).max_tokens).toBe(256);
    expect((mock.requests[1]?.body as { max_tokens: number }).max_tokens).toBe(20);
  });

  it('streams text as typed events ending in finish and usage', async () => {
    mock.behaviour = { streamChunks: 3 };
    const events = await collect(
      await adapter.stream({
        model: 'claude-haiku-4-5',
        request: chat('stream this'),
        options: options(),
      }),
    );
    expect(events[0]).toMatchObject({ type: 'start', model: 'claude-haiku-4-5' });
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(3);
    expect(textOf(events)).toBe('Echo: stream this');
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'end_turn' } },
      {
        type: 'usage',
        usage: {
          inputTokens: 2,
          outputTokens: 3,
          totalTokens: 5,
          cachedInputTokens: 0,
          cacheWriteInputTokens: 0,
        },
      },
    ]);
    expect((mock.requests[0]?.body as { stream?: boolean }).stream).toBe(true);
  });

  it('returns tool calls from a non-streamed answer', async () => {
    const response = await adapter.complete({
      model: 'm',
      request: chat('Oslo', {
        ...weatherTools,
        tool_choice: { type: 'function', function: { name: 'get_time' } },
        parallel_tool_calls: false,
      }),
      options: options(),
    });
    const choice = response.choices[0];
    expect(choice?.finishReason).toEqual({ unified: 'tool_calls', raw: 'tool_use' });
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^toolu_/) as string,
        type: 'function',
        function: { name: 'get_time', arguments: '{"input":"Oslo"}' },
      },
    ]);
    const body = mock.requests[0]?.body as Record<string, unknown>;
    expect(body.tool_choice).toEqual({
      type: 'tool',
      name: 'get_time',
      disable_parallel_tool_use: true,
    });
    expect(body.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it('streams a tool call: the first delta carries id and name', async () => {
    const events = await collect(
      await adapter.stream({
        model: 'm',
        request: chat('Bergen', { ...weatherTools, tool_choice: 'required' }),
        options: options(),
      }),
    );
    const deltas = events.filter((event) => event.type === 'tool-call-delta');
    expect(deltas[0]).toMatchObject({
      toolCallIndex: 0,
      id: expect.stringMatching(/^toolu_/) as string,
      name: 'get_weather',
    });
    expect(
      deltas.slice(1).every((delta) => delta.id === undefined && delta.toolCallIndex === 0),
    ).toBe(true);
    expect(deltas.map((delta) => delta.argumentsDelta).join('')).toBe('{"input":"Bergen"}');
    expect(events.find((event) => event.type === 'finish')).toMatchObject({
      reason: { unified: 'tool_calls', raw: 'tool_use' },
    });
    expect((mock.requests[0]?.body as Record<string, unknown>).tool_choice).toEqual({
      type: 'any',
    });
  });

  it('sends a tool round trip as tool_use and tool_result blocks', async () => {
    const response = await adapter.complete({
      model: 'm',
      request: {
        messages: [
          { role: 'user', content: 'Weather in Oslo?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '3 degrees' },
          { role: 'user', content: 'Thanks' },
        ],
      },
      options: options(),
    });
    expect(response.choices[0]?.message.content).toBe('Echo: Thanks');
    expect((mock.requests[0]?.body as Record<string, unknown>).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '3 degrees' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('serves an anthropic provider loaded with parseConfig, through the registry', async () => {
    const config = parseConfig(
      {
        providers: [
          {
            id: 'claude-1',
            name: 'Claude',
            type: 'anthropic',
            endpoint: mock.url,
            apiKey: '${ANTHROPIC_API_KEY}',
          },
        ],
      },
      defaultAdapters,
      { env: { ANTHROPIC_API_KEY: API_KEY } },
    );
    const provider = config.providers[0]!;
    const response = await createAdapter(defaultAdapters, provider)!.complete({
      model: 'claude-x',
      request: chat('configured'),
      options: options(),
    });
    expect(response.choices[0]?.message.content).toBe('Echo: configured');
  });

  it('refuses a parameter Anthropic cannot honour without sending anything', async () => {
    const error = await rejection(
      adapter.complete({
        model: 'm',
        request: chat('hi', { response_format: { type: 'json_object' } }),
        options: options(),
      }),
    );
    expect(error).toMatchObject({
      kind: 'bad_request',
      status: 400,
      code: 'unsupported_parameter',
      param: 'response_format',
      retryable: false,
      provider: 'claude',
    });
    await rejection(
      adapter.stream({ model: 'm', request: chat('hi', { n: 2 }), options: options() }),
    );
    expect(mock.requests).toHaveLength(0);
  });
});

describe('Anthropic adapter: failures', () => {
  const statusFaults: [string, MockFault, Partial<UpstreamError>][] = [
    [
      'server error',
      { kind: 'server-error' },
      { kind: 'server', status: 500, code: 'api_error', retryable: true },
    ],
    [
      'rate limit',
      { kind: 'rate-limited', retryAfterMs: 2000 },
      { kind: 'rate_limited', status: 429, retryAfterMs: 2000, code: 'rate_limit_error' },
    ],
    [
      'overload (529)',
      { kind: 'overloaded' },
      { kind: 'overloaded', status: 529, code: 'overloaded_error', retryable: true },
    ],
    [
      'bad key',
      { kind: 'auth' },
      { kind: 'auth', status: 401, code: 'authentication_error', retryable: false },
    ],
    [
      'context length',
      { kind: 'context-length' },
      { kind: 'context_length', status: 400, retryable: false },
    ],
  ];

  it.each(statusFaults)(
    'classifies a %s, plain and before a stream',
    async (_name, fault, expected) => {
      mock.failNext(fault, 2);
      const plain = await rejection(
        adapter.complete({ model: 'm', request: chat('x'), options: options() }),
      );
      expect(plain).toMatchObject({ ...expected, provider: 'claude' });
      const streamed = await rejection(
        adapter.stream({ model: 'm', request: chat('x'), options: options() }),
      );
      expect(streamed).toMatchObject(expected);
    },
  );

  it('classifies a garbage body as a protocol error', async () => {
    mock.failNext({ kind: 'garbage' }, 2);
    const plain = await rejection(
      adapter.complete({ model: 'm', request: chat('x'), options: options() }),
    );
    expect(plain.kind).toBe('protocol');
    const events = await collect(
      await adapter.stream({ model: 'm', request: chat('x'), options: options() }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('ends a cut stream with an error event, never a finish', async () => {
    mock.failNext({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(
      await adapter.stream({ model: 'm', request: chat('cut me please'), options: options() }),
    );
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: expect.stringMatching(/^(connection|protocol)$/) as string },
    });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('turns an in-stream error event into an error event', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(
      await adapter.stream({ model: 'm', request: chat('x'), options: options() }),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'overloaded', code: 'overloaded_error', provider: 'claude' },
    });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('times out a hung upstream within the deadline', async () => {
    mock.setFault({ kind: 'hang' });
    const started = Date.now();
    const plain = await rejection(
      adapter.complete({ model: 'm', request: chat('x'), options: options(300) }),
    );
    expect(plain.kind).toBe('timeout');
    const streamed = await rejection(
      adapter.stream({ model: 'm', request: chat('x'), options: options(300) }),
    );
    expect(streamed.kind).toBe('timeout');
    // Cut by the 300 ms deadlines, not by a default timeout (30 s); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('times out when headers arrive after the deadline', async () => {
    mock.failNext({ kind: 'slow-headers', delayMs: 5_000 });
    const error = await rejection(
      adapter.complete({ model: 'm', request: chat('x'), options: options(300) }),
    );
    expect(error.kind).toBe('timeout');
  });

  it('rejects with the abort reason when the caller aborts, and the upstream sees the disconnect', async () => {
    mock.setFault({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      adapter.complete({
        model: 'm',
        request: chat('x'),
        options: options(5_000, controller.signal),
      }),
    ).rejects.toBe(reason);
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1));
  });

  it('closes the upstream connection when the consumer stops reading early', async () => {
    mock.behaviour = { streamChunks: 8, chunkIntervalMs: 40 };
    const events = await adapter.stream({
      model: 'm',
      request: chat('a long answer to stop early'),
      options: options(),
    });
    for await (const event of events) if (event.type === 'text-delta') break;
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1));
  });
});

describe('Anthropic adapter: probe and models', () => {
  it('probes GET /v1/models?limit=1', async () => {
    const result = await adapter.probe(options());
    expect(result).toMatchObject({ check: 'GET /v1/models', status: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(mock.requests[0]?.url).toBe('/v1/models?limit=1');
    expect(mock.requests[0]?.headers['x-api-key']).toBe(API_KEY);
  });

  it('rejects the probe with an auth error for a wrong key', async () => {
    const error = await rejection(makeAdapter({ apiKey: 'wrong' }).probe(options()));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('lists models, following pages', async () => {
    expect(await adapter.listModels(options())).toEqual([
      { id: 'claude-a', ownedBy: 'anthropic' },
      { id: 'claude-b', ownedBy: 'anthropic' },
      { id: 'claude-c', ownedBy: 'anthropic' },
    ]);
    const many = await startAnthropicMock({
      models: Array.from({ length: 1005 }, (_, index) => `claude-${index}`),
    });
    try {
      const models = await makeAdapter({ endpoint: many.url }).listModels(options());
      expect(models).toHaveLength(1005);
      expect(models.at(-1)?.id).toBe('claude-1004');
      expect(many.requests.map((request) => request.url)).toEqual([
        '/v1/models?limit=1000',
        '/v1/models?limit=1000&after_id=claude-999',
      ]);
    } finally {
      await many.close();
    }
  });
});
