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
import { startGeminiMock, type GeminiMock } from '@switchyard/testkit';
import { createGeminiAdapter, geminiModelInfo } from './gemini-chat-model.ts';

const API_KEY = 'gemini-key';
const MODEL = 'gemini-2.5-flash';
let mock: GeminiMock;
let adapter: ProviderAdapter;

beforeAll(async () => {
  mock = await startGeminiMock({
    apiKey: API_KEY,
    models: [MODEL, 'gemini-2.5-pro', 'gemini-2.0-flash'],
  });
  adapter = createGeminiAdapter(providerAt(mock.url, API_KEY));
});

afterEach(() => {
  mock.reset();
  mock.safety.blockPrompt = false;
  mock.safety.blockOutput = false;
});

afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

function providerAt(endpoint: string, apiKey: string) {
  const config = parseConfig(
    {
      providers: [{ id: 'google', name: 'Google', type: 'gemini', endpoint, apiKey }],
    },
    defaultAdapters,
  );
  return config.providers[0]!;
}

function options(timeoutMs = 5_000, signal = new AbortController().signal) {
  return { signal, deadline: Date.now() + timeoutMs };
}

function call(request: Partial<ChatRequest>, timeoutMs?: number, signal?: AbortSignal) {
  return {
    request: {
      messages: [{ role: 'user' as const, content: 'Hello Gemini' }],
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
    description: 'Weather by city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

describe('Gemini adapter: requests', () => {
  it('completes text and sends the mapped request', async () => {
    const response = await adapter.complete(
      call({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Answer in English.' },
          { role: 'user', content: 'Hello Gemini' },
        ],
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 10,
        max_completion_tokens: 64,
        stop: '###',
        seed: 7,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', schema: { type: 'object' } },
        },
        user: 'dropped',
      }),
    );
    expect(response.choices[0]?.message.content).toBe('Echo: Hello Gemini');
    expect(response.choices[0]?.finishReason).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(response.model).toBe(MODEL);
    expect(response.usage).toEqual({ inputTokens: 7, outputTokens: 3, totalTokens: 10 });

    const sent = mock.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe(`/v1beta/models/${MODEL}:generateContent`);
    expect(sent.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in English.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hello Gemini' }] }],
      generationConfig: {
        temperature: 0.2,
        topP: 0.9,
        maxOutputTokens: 64,
        stopSequences: ['###'],
        seed: 7,
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object' },
      },
    });
  });

  it('maps images, multi-turn roles and candidate count', async () => {
    const response = await adapter.complete(
      call({
        n: 2,
        messages: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'reply' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              {
                type: 'image_url',
                image_url: { url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' },
              },
            ],
          },
        ],
      }),
    );
    expect(response.choices.map((choice) => choice.index)).toEqual([0, 1]);
    expect(mock.requests[0]?.body).toMatchObject({
      contents: [
        { role: 'user', parts: [{ text: 'first' }] },
        { role: 'model', parts: [{ text: 'reply' }] },
        {
          role: 'user',
          parts: [
            { text: 'What is this?' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            {
              fileData: {
                fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123',
              },
            },
          ],
        },
      ],
      generationConfig: { candidateCount: 2 },
    });
  });

  it('refuses what Gemini cannot honour before sending anything', async () => {
    const logprobs = await rejection(adapter.complete(call({ logprobs: true })));
    expect(logprobs).toMatchObject({
      kind: 'bad_request',
      status: 400,
      code: 'unsupported_parameter',
      param: 'logprobs',
      retryable: false,
      provider: 'google',
    });
    const image = await rejection(
      adapter.complete(
        call({
          messages: [
            {
              role: 'user',
              content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }],
            },
          ],
        }),
      ),
    );
    expect(image).toMatchObject({
      code: 'unsupported_parameter',
      param: 'messages[0].content[0].image_url.url',
    });
    const bias = await rejection(adapter.stream(call({ logit_bias: { '42': 5 } })));
    expect(bias.param).toBe('logit_bias');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('Gemini adapter: tools', () => {
  it('turns a functionCall into a tool call and replays it with its thought signature', async () => {
    const response = await adapter.complete(
      call({
        tools: [weatherTool],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      }),
    );
    const choice = response.choices[0]!;
    expect(choice.finishReason).toEqual({ unified: 'tool_calls', raw: 'STOP' });
    expect(choice.message.content).toBeNull();
    const toolCall = choice.message.tool_calls?.[0];
    expect(toolCall?.function).toEqual({
      name: 'get_weather',
      arguments: '{"input":"Hello Gemini"}',
    });
    expect(toolCall?.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(mock.requests[0]?.body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather by city',
              parametersJsonSchema: weatherTool.function.parameters,
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    });

    mock.reset();
    await adapter.complete(
      call({
        tools: [weatherTool],
        tool_choice: 'none',
        messages: [
          { role: 'user', content: 'Weather in Oslo?' },
          { role: 'assistant', content: null, tool_calls: [toolCall!] },
          { role: 'tool', tool_call_id: toolCall!.id, content: '{"temp_c":3}' },
          { role: 'tool', tool_call_id: toolCall!.id, content: 'sunny' },
        ],
      }),
    );
    expect(mock.requests[0]?.body).toMatchObject({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'get_weather', args: { input: 'Hello Gemini' } },
              thoughtSignature: Buffer.from('mock-thought:get_weather').toString('base64'),
            },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { temp_c: 3 } } },
            { functionResponse: { name: 'get_weather', response: { result: 'sunny' } } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'NONE' } },
    });
  });

  it('refuses a tool result that answers no known call', async () => {
    const error = await rejection(
      adapter.complete(
        call({
          messages: [
            { role: 'user', content: 'hi' },
            { role: 'tool', tool_call_id: 'nope', content: 'x' },
          ],
        }),
      ),
    );
    expect(error).toMatchObject({ kind: 'bad_request', param: 'messages[1].tool_call_id' });
  });

  it('streams a tool call as one delta with id and name', async () => {
    const events = await collect(
      await adapter.stream(call({ tools: [weatherTool], tool_choice: 'required' })),
    );
    expect(events.map((event) => event.type)).toEqual([
      'start',
      'tool-call-delta',
      'usage',
      'finish',
    ]);
    expect(events[1]).toMatchObject({
      type: 'tool-call-delta',
      choiceIndex: 0,
      toolCallIndex: 0,
      name: 'get_weather',
      argumentsDelta: '{"input":"Hello Gemini"}',
    });
    expect((events[1] as { id?: string }).id).toMatch(/^call_mock-/);
    expect(events[3]).toEqual({
      type: 'finish',
      choiceIndex: 0,
      reason: { unified: 'tool_calls', raw: 'STOP' },
    });
  });
});

describe('Gemini adapter: streaming', () => {
  it('streams text deltas, then usage and finish', async () => {
    const events = await collect(await adapter.stream(call({})));
    expect(events[0]).toMatchObject({ type: 'start', model: MODEL });
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
    expect(text).toHaveLength(4);
    expect(text.join('')).toBe('Echo: Hello Gemini');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5 } },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'STOP' } },
    ]);
    expect(mock.requests[0]?.url).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
  });

  it('ends a cut stream with a connection error event, never a finish', async () => {
    mock.failNext({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(await adapter.stream(call({})));
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(2);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'connection' } });
  });

  it('turns an in-stream error chunk into an error event', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(await adapter.stream(call({})));
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'error']);
    expect(events.at(-1)).toMatchObject({
      error: { kind: 'server', status: 500, code: 'INTERNAL' },
    });
  });

  it('turns garbage bytes into a protocol error event', async () => {
    mock.failNext({ kind: 'garbage' });
    const events = await collect(await adapter.stream(call({})));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    mock.behaviour = { chunkIntervalMs: 100, streamChunks: 8 };
    const events = await adapter.stream(call({}));
    for await (const event of events) if (event.type === 'text-delta') break;
    await expect.poll(() => mock.clientAborts, { timeout: 2_000 }).toBe(1);
  });
});

describe('Gemini adapter: safety blocks', () => {
  it('reports a blocked prompt as a content_filter finish', async () => {
    mock.safety.blockPrompt = true;
    const response = await adapter.complete(call({}));
    expect(response.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: null },
        finishReason: { unified: 'content_filter', raw: 'SAFETY' },
      },
    ]);
    const events = await collect(await adapter.stream(call({})));
    expect(events.map((event) => event.type)).toEqual(['start', 'usage', 'finish']);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      choiceIndex: 0,
      reason: { unified: 'content_filter', raw: 'SAFETY' },
    });
  });

  it('reports blocked output as a content_filter finish', async () => {
    mock.safety.blockOutput = true;
    const response = await adapter.complete(call({}));
    expect(response.choices[0]).toMatchObject({
      message: { content: null },
      finishReason: { unified: 'content_filter', raw: 'SAFETY' },
    });
  });
});

describe('Gemini adapter: failures', () => {
  it('classifies each vendor error', async () => {
    mock.failNext({ kind: 'server-error' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'server',
      status: 500,
      code: 'INTERNAL',
      provider: 'google',
    });

    mock.failNext({ kind: 'rate-limited', retryAfterMs: 2500 });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 2500,
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
      status: 400,
      code: 'INVALID_ARGUMENT',
    });

    mock.failNext({ kind: 'context-length' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'context_length',
      status: 400,
    });

    mock.failNext({ kind: 'garbage' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({ kind: 'protocol' });

    const unknownModel = await rejection(adapter.complete({ ...call({}), model: 'gemini-9' }));
    expect(unknownModel).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('refuses a wrong key as auth', async () => {
    const wrongKey = createGeminiAdapter(providerAt(mock.url, 'wrong'));
    expect(await rejection(wrongKey.complete(call({})))).toMatchObject({ kind: 'auth' });
    expect(await rejection(wrongKey.probe(options()))).toMatchObject({ kind: 'auth' });
  });

  it('times out a hanging upstream within the deadline', async () => {
    mock.failNext({ kind: 'hang' });
    const started = Date.now();
    expect(await rejection(adapter.complete(call({}, 300)))).toMatchObject({ kind: 'timeout' });
    // Cut by the 300 ms deadlines, not by a default timeout (30 s); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);

    mock.failNext({ kind: 'slow-headers', delayMs: 5_000 });
    expect(await rejection(adapter.stream(call({}, 300)))).toMatchObject({ kind: 'timeout' });
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    mock.failNext({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('client went away');
    const pending = adapter.complete(call({}, 5_000, controller.signal));
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('Gemini adapter: probe and models', () => {
  it('probes with a one-model list call', async () => {
    const result = await adapter.probe(options());
    expect(result).toMatchObject({ check: 'GET /v1beta/models?pageSize=1', status: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(mock.requests[0]?.url).toBe('/v1beta/models?pageSize=1');
  });

  it('lists chat models without the models/ prefix', async () => {
    expect(await adapter.listModels(options())).toEqual([
      { id: 'gemini-2.5-flash', ownedBy: 'google', contextWindow: 1048576, kind: 'chat' },
      { id: 'gemini-2.5-pro', ownedBy: 'google', contextWindow: 1048576, kind: 'chat' },
      { id: 'gemini-2.0-flash', ownedBy: 'google', contextWindow: 1048576, kind: 'chat' },
    ]);
  });

  it('keeps embedContent models as embedding models and drops models that do neither', () => {
    expect(
      geminiModelInfo({
        name: 'models/gemini-embedding-001',
        inputTokenLimit: 2048,
        supportedGenerationMethods: ['embedContent', 'countTextTokens'],
      }),
    ).toEqual({
      id: 'gemini-embedding-001',
      ownedBy: 'google',
      contextWindow: 2048,
      kind: 'embedding',
    });
    expect(
      geminiModelInfo({ name: 'models/aqa', supportedGenerationMethods: ['generateAnswer'] }),
    ).toBeUndefined();
  });
});

describe('the seed gcp provider', () => {
  it('serves a completion from a config written like the seed example', async () => {
    const config = parseConfig(
      {
        providers: [
          {
            id: 'gcp',
            name: 'Google AI',
            type: 'gcp',
            endpoint: mock.url,
            apiKey: API_KEY,
            config: { projectId: 'my-project' },
            priority: 4,
            enabled: true,
          },
        ],
      },
      defaultAdapters,
    );
    const provider = config.providers[0]!;
    const seeded = createAdapter(defaultAdapters, provider)!;
    const response = await seeded.complete(
      call({ messages: [{ role: 'user', content: 'from the seed' }] }),
    );
    expect(response.choices[0]?.message.content).toBe('Echo: from the seed');
    expect(seeded.type).toBe('gcp');
  });
});
