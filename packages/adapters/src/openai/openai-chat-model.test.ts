import {
  expandOpenAIChunk,
  providerSchema,
  toOpenAIChatCompletion,
  UpstreamError,
  type ChatRequest,
  type OpenAIChunkEvent,
  type ProviderAdapter,
  type StreamEvent,
  type UpstreamErrorKind,
} from '@switchyard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeHttpAgent } from '../http/index.ts';
import {
  startOpenAIMock,
  type OpenAIMock,
  validateOpenAI,
  type MockFault,
} from '@switchyard/testkit';
import { createOpenAIAdapter, openAIModelInfo } from './openai-chat-model.ts';

const API_KEY = 'sk-openai-adapter-test';
let mock: OpenAIMock;
let adapter: ProviderAdapter;

function makeAdapter(overrides: Record<string, unknown> = {}): ProviderAdapter {
  return createOpenAIAdapter(
    providerSchema.parse({
      id: 'openai-main',
      name: 'OpenAI',
      type: 'openai',
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

function chunks(events: StreamEvent[]): OpenAIChunkEvent[] {
  return events.filter((event): event is OpenAIChunkEvent => event.type === 'openai-chunk');
}

function streamedText(events: StreamEvent[]): string {
  return chunks(events)
    .flatMap(expandOpenAIChunk)
    .map((event) => (event.type === 'text-delta' ? event.text : ''))
    .join('');
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
  mock = await startOpenAIMock({ apiKey: API_KEY, models: ['gpt-a', 'gpt-b'] });
  adapter = makeAdapter();
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

describe('complete', () => {
  it('answers with the mapped completion and usage', async () => {
    const response = await adapter.complete({
      request: chat('hello there'),
      model: 'gpt-a',
      options: options(),
    });
    expect(response.model).toBe('gpt-a');
    expect(response.choices).toHaveLength(1);
    expect(response.choices[0]!.message.content).toBe('Echo: hello there');
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(response.usage).toMatchObject({
      inputTokens: 2,
      outputTokens: 3,
      totalTokens: 5,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
    expect(response.systemFingerprint).toBe('fp_mock');
    expect(
      validateOpenAI('CreateChatCompletionResponse', toOpenAIChatCompletion(response)).errors,
    ).toBe('');
  });

  it('sends the client request with the model replaced, unknown fields intact, over bearer auth', async () => {
    const custom = makeAdapter({
      config: { organization: 'org-1', project: 'proj-1', headers: { 'x-team': 'blue' } },
    });
    await custom.complete({
      request: chat('hi', {
        model: 'public-name',
        temperature: 0.2,
        max_tokens: 50,
        max_completion_tokens: 40,
        stop: ['END'],
        seed: 7,
        reasoning_effort: 'low',
        user: 'u1',
      }),
      model: 'gpt-b',
      options: options(),
    });
    const sent = mock.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.headers['openai-organization']).toBe('org-1');
    expect(sent.headers['openai-project']).toBe('proj-1');
    expect(sent.headers['x-team']).toBe('blue');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      model: 'gpt-b',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      max_completion_tokens: 40,
      stop: ['END'],
      seed: 7,
      reasoning_effort: 'low',
      user: 'u1',
    });
  });

  it('accepts an endpoint written with /v1', async () => {
    const withV1 = makeAdapter({ endpoint: `${mock.url}/v1/` });
    const response = await withV1.complete({
      request: chat('x'),
      model: 'gpt-a',
      options: options(),
    });
    expect(response.choices[0]!.message.content).toBe('Echo: x');
    expect(mock.requests[0]!.url).toBe('/v1/chat/completions');
  });

  it('returns the forced tool call', async () => {
    const response = await adapter.complete({
      request: chat('weather in Oslo', {
        ...weatherTools,
        tool_choice: { type: 'function', function: { name: 'get_time' } },
      }),
      model: 'gpt-a',
      options: options(),
    });
    const choice = response.choices[0]!;
    expect(choice.finishReason).toEqual({ unified: 'tool_calls', raw: 'tool_calls' });
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/) as string,
        type: 'function',
        function: { name: 'get_time', arguments: '{"input":"weather in Oslo"}' },
      },
    ]);
    expect(mock.requests[0]!.body).toMatchObject({
      tool_choice: { type: 'function', function: { name: 'get_time' } },
      tools: weatherTools.tools,
    });
    expect(
      validateOpenAI('CreateChatCompletionResponse', toOpenAIChatCompletion(response)).errors,
    ).toBe('');
  });

  it('refuses an unknown model as not_found', async () => {
    const error = await rejection(
      adapter.complete({ request: chat('x'), model: 'gpt-missing', options: options() }),
    );
    expect(error).toMatchObject({
      kind: 'not_found',
      status: 404,
      code: 'model_not_found',
      provider: 'openai-main',
      retryable: false,
    });
  });
});

describe('stream', () => {
  it('passes the upstream chunks through and always asks for usage', async () => {
    const events = await collect(
      await adapter.stream({
        request: chat('stream me please'),
        model: 'gpt-a',
        options: options(),
      }),
    );
    expect(events.every((event) => event.type === 'openai-chunk')).toBe(true);
    expect(streamedText(events)).toBe('Echo: stream me please');
    const all = chunks(events);
    expect(all.filter((event) => event.hasOutput)).toHaveLength(4);
    expect(all.at(-2)!.finish).toEqual({ unified: 'stop', raw: 'stop' });
    expect(all.at(-1)!.usage).toEqual({
      inputTokens: 3,
      outputTokens: 4,
      totalTokens: 7,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      details: {
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
    });
    for (const event of all)
      expect(
        validateOpenAI('CreateChatCompletionStreamResponse', JSON.parse(event.data)).errors,
      ).toBe('');
    expect(mock.requests[0]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(mock.requests[0]!.headers.accept).toBe('text/event-stream');
  });

  it('streams a tool call as pass-through deltas', async () => {
    mock.behaviour.streamChunks = 3;
    const events = await collect(
      await adapter.stream({
        request: chat('weather in Oslo: get_weather', weatherTools),
        model: 'gpt-a',
        options: options(),
      }),
    );
    const typed = chunks(events).flatMap(expandOpenAIChunk);
    const calls = typed.filter((event) => event.type === 'tool-call-delta');
    expect(calls[0]).toMatchObject({
      toolCallIndex: 0,
      id: expect.stringMatching(/^call_/) as string,
      name: 'get_weather',
    });
    expect(calls.map((event) => event.argumentsDelta).join('')).toBe(
      '{"input":"weather in Oslo: get_weather"}',
    );
    expect(typed.find((event) => event.type === 'finish')).toMatchObject({
      reason: { unified: 'tool_calls', raw: 'tool_calls' },
    });
  });

  it('ends a cut stream with a connection error, never a clean finish', async () => {
    mock.failNext({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(
      await adapter.stream({
        request: chat('one two three four'),
        model: 'gpt-a',
        options: options(),
      }),
    );
    expect(chunks(events).filter((event) => event.hasOutput)).toHaveLength(2);
    expect(chunks(events).some((event) => event.finish)).toBe(false);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'connection', provider: 'openai-main' },
    });
  });

  it('turns an in-stream error chunk into an error event', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(
      await adapter.stream({ request: chat('one two three'), model: 'gpt-a', options: options() }),
    );
    expect(chunks(events).filter((event) => event.hasOutput)).toHaveLength(1);
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      type: 'error',
      error: {
        kind: 'server',
        provider: 'openai-main',
        message: expect.stringContaining('The server had an error') as string,
      },
    });
  });

  it('turns garbage bytes into a protocol error event', async () => {
    mock.failNext({ kind: 'garbage' });
    const events = await collect(
      await adapter.stream({ request: chat('x'), model: 'gpt-a', options: options() }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('rejects before the stream starts when the upstream refuses', async () => {
    mock.failNext({ kind: 'rate-limited', retryAfterMs: 1500 });
    const error = await rejection(
      adapter.stream({ request: chat('x'), model: 'gpt-a', options: options() }),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1500, status: 429 });
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    mock.behaviour.streamChunks = 20;
    mock.behaviour.chunkIntervalMs = 20;
    const events = await adapter.stream({
      request: chat('a long answer that keeps coming for a while'),
      model: 'gpt-a',
      options: options(),
    });
    for await (const event of events) {
      if (event.type === 'openai-chunk' && event.hasOutput) break;
    }
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1), { timeout: 2_000 });
  });

  it('stops a running stream when the caller aborts, with the caller’s reason', async () => {
    mock.behaviour.streamChunks = 20;
    mock.behaviour.chunkIntervalMs = 20;
    const controller = new AbortController();
    const reason = new Error('client disconnected');
    const events = await adapter.stream({
      request: chat('abort me while streaming'),
      model: 'gpt-a',
      options: options(5_000, controller.signal),
    });
    const iterator = events[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (!first.done && !(first.value.type === 'openai-chunk' && first.value.hasOutput))
      first = await iterator.next();
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1), { timeout: 2_000 });
  });

  it('closes the upstream connection when the consumer gives up before reading', async () => {
    mock.behaviour.streamChunks = 20;
    mock.behaviour.chunkIntervalMs = 20;
    const events = await adapter.stream({
      request: chat('never read'),
      model: 'gpt-a',
      options: options(),
    });
    await events[Symbol.asyncIterator]().return?.();
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1), { timeout: 2_000 });
  });
});

describe('faults', () => {
  const cases: Array<[MockFault, UpstreamErrorKind, Partial<UpstreamError>]> = [
    [{ kind: 'server-error' }, 'server', { status: 500, retryable: true }],
    [{ kind: 'server-error', status: 502 }, 'server', { status: 502 }],
    [
      { kind: 'rate-limited', retryAfterMs: 2300 },
      'rate_limited',
      { status: 429, retryAfterMs: 2300, retryable: true, code: 'rate_limit_exceeded' },
    ],
    [{ kind: 'overloaded' }, 'overloaded', { status: 503, retryable: true }],
    [{ kind: 'auth' }, 'auth', { status: 401, retryable: false, code: 'invalid_api_key' }],
    [
      { kind: 'context-length' },
      'context_length',
      { status: 400, code: 'context_length_exceeded', param: 'messages' },
    ],
    [{ kind: 'garbage' }, 'protocol', {}],
    [{ kind: 'cut-stream', afterChunks: 1 }, 'connection', {}],
  ];

  it.each(cases)('classifies %o as %s', async (fault, kind, fields) => {
    mock.failNext(fault);
    const error = await rejection(
      adapter.complete({ request: chat('x'), model: 'gpt-a', options: options() }),
    );
    expect(error.kind).toBe(kind);
    expect(error).toMatchObject({ provider: 'openai-main', ...fields });
  });

  it('rejects a wrong key as auth', async () => {
    const wrongKey = makeAdapter({ apiKey: 'sk-wrong' });
    const error = await rejection(
      wrongKey.complete({ request: chat('x'), model: 'gpt-a', options: options() }),
    );
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('times out on a hanging upstream within the deadline', async () => {
    mock.failNext({ kind: 'hang' });
    const started = Date.now();
    const error = await rejection(
      adapter.complete({ request: chat('x'), model: 'gpt-a', options: options(300) }),
    );
    expect(error.kind).toBe('timeout');
    // Cut by the 300 ms deadlines, not by a default timeout (30 s); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1), { timeout: 2_000 });
  });

  it('times out when headers come after the deadline', async () => {
    mock.failNext({ kind: 'slow-headers', delayMs: 5_000 });
    const error = await rejection(
      adapter.stream({ request: chat('x'), model: 'gpt-a', options: options(300) }),
    );
    expect(error.kind).toBe('timeout');
  });

  it('gives the caller its own abort reason, not an upstream error', async () => {
    mock.failNext({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('client went away');
    const pending = adapter.complete({
      request: chat('x'),
      model: 'gpt-a',
      options: options(5_000, controller.signal),
    });
    await vi.waitFor(() => expect(mock.requests).toHaveLength(1));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1), { timeout: 2_000 });
  });

  it('forwards parameters OpenAI honours, such as n and logprobs', async () => {
    await adapter.complete({
      request: chat('x', { n: 2, logprobs: true, top_logprobs: 3, logit_bias: { '50256': -100 } }),
      model: 'gpt-a',
      options: options(),
    });
    expect(mock.requests[0]!.body).toMatchObject({
      n: 2,
      logprobs: true,
      top_logprobs: 3,
      logit_bias: { '50256': -100 },
    });
  });
});

describe('probe and models', () => {
  it('probes with GET /v1/models', async () => {
    const result = await adapter.probe(options());
    expect(result).toMatchObject({ check: 'GET /v1/models', status: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(mock.requests[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
    expect(mock.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('rejects a probe with a bad key as auth', async () => {
    const error = await rejection(makeAdapter({ apiKey: 'sk-wrong' }).probe(options()));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('lists the models', async () => {
    expect(await adapter.listModels(options())).toEqual([
      { id: 'gpt-a', ownedBy: 'system' },
      { id: 'gpt-b', ownedBy: 'system' },
    ]);
  });

  it("calls text-embedding-* models embedding models, by OpenAI's naming of them", () => {
    expect(openAIModelInfo({ id: 'text-embedding-3-small', owned_by: 'system' })).toEqual({
      id: 'text-embedding-3-small',
      ownedBy: 'system',
      kind: 'embedding',
    });
    expect(openAIModelInfo({ id: 'gpt-4o-mini' })).toEqual({ id: 'gpt-4o-mini' });
  });
});
