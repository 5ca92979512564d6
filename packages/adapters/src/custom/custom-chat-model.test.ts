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
import { CUSTOM_MOCK_DONE, startCustomMock, type MockServer } from '@switchyard/testkit';
import { createCustomAdapter } from './custom-chat-model.ts';

const API_KEY = 'custom-key';
const MODEL = 'tiny-llm';

const customFormat = {
  path: '/generate',
  requestTemplate: {
    prompt: '{{prompt}}',
    max_new_tokens: '{{max_tokens}}',
    temperature: '{{temperature}}',
    model: '{{model}}',
    stream: '{{stream}}',
    options: { stop: '{{stop}}', label: 'switchyard {{model}}' },
  },
  response: {
    textPath: 'output.text',
    finishReasonPath: 'stop_reason',
    inputTokensPath: 'usage.in',
    outputTokensPath: 'usage.out',
  },
  stream: {
    framing: 'ndjson',
    textPath: 'delta',
    finishReasonPath: 'stop_reason',
    inputTokensPath: 'usage.in',
    outputTokensPath: 'usage.out',
  },
};

let mock: MockServer;
let sseMock: MockServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  mock = await startCustomMock({ apiKey: API_KEY });
  sseMock = await startCustomMock({
    apiKey: API_KEY,
    authHeader: 'x-api-key',
    authPrefix: '',
    framing: 'sse',
  });
  adapter = adapterFor(mock.url, customFormat);
});

afterEach(() => {
  mock.reset();
  sseMock.reset();
});

afterAll(async () => {
  await Promise.all([mock.close(), sseMock.close()]);
  await closeHttpAgent();
});

/** A provider written exactly like the seed's `custom` example. */
function providerFor(endpoint: string, format: unknown, apiKey = API_KEY) {
  const config = parseConfig(
    {
      providers: [
        {
          id: 'my-llm',
          name: 'My LLM',
          type: 'custom',
          endpoint,
          apiKey,
          config: { customFormat: format },
          priority: 5,
          enabled: true,
          models: [{ name: 'tiny', id: MODEL, contextWindow: 4096 }],
        },
      ],
    },
    defaultAdapters,
  );
  return config.providers[0]!;
}

function adapterFor(endpoint: string, format: unknown, apiKey?: string): ProviderAdapter {
  return createCustomAdapter(providerFor(endpoint, format, apiKey));
}

function options(timeoutMs = 5_000, signal = new AbortController().signal) {
  return { signal, deadline: Date.now() + timeoutMs };
}

function call(request: Partial<ChatRequest>, timeoutMs?: number, signal?: AbortSignal) {
  return {
    request: {
      messages: [{ role: 'user' as const, content: 'Hello custom' }],
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

function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

describe('custom adapter: requests and answers', () => {
  it('serves a completion for a provider configured like the seed example', async () => {
    const provider = providerFor(mock.url, customFormat);
    const seeded = createAdapter(defaultAdapters, provider)!;
    const response = await seeded.complete(call({ max_tokens: 20, stop: 'END' }));
    expect(response.choices[0]?.message.content).toBe('Echo: Hello custom');
    expect(response.choices[0]?.finishReason).toEqual({ unified: 'stop', raw: 'end' });
    expect(response.usage).toEqual({ inputTokens: 2, outputTokens: 3, totalTokens: 5 });
    expect(response.model).toBe(MODEL);

    const sent = mock.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/generate');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toEqual({
      prompt: 'Hello custom',
      max_new_tokens: 20,
      model: MODEL,
      stream: false,
      options: { stop: ['END'], label: `switchyard ${MODEL}` },
    });
  });

  it('flattens a conversation into the prompt and reads a length finish', async () => {
    const response = await adapter.complete(
      call({
        temperature: 0.7,
        max_completion_tokens: 2,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'Tell me\na story' },
        ],
      }),
    );
    expect(mock.requests[0]?.body).toMatchObject({
      prompt: 'System: Be brief.\nUser: Hi\nAssistant: Hello!\nUser: Tell me\na story\nAssistant:',
      temperature: 0.7,
      max_new_tokens: 2,
    });
    expect(response.choices[0]?.message.content).toBe('Echo: Tell');
    expect(response.choices[0]?.finishReason).toEqual({ unified: 'length', raw: 'max_new_tokens' });
  });

  it('sends the OpenAI-shaped request when the mapping has no template', async () => {
    const plain = adapterFor(mock.url, { path: 'generate', response: { textPath: 'output.text' } });
    const response = await plain.complete(
      call({ temperature: 0.1, stream_options: { include_usage: true }, seed: 4 }),
    );
    expect(response.choices[0]?.message.content).toBe('Echo: Hello custom');
    expect(response.usage).toBeUndefined();
    expect(mock.requests[0]?.body).toEqual({
      messages: [{ role: 'user', content: 'Hello custom' }],
      temperature: 0.1,
      seed: 4,
      model: MODEL,
      stream: false,
    });
  });

  it('uses the configured auth header, prefix and extra headers', async () => {
    const sse = adapterFor(sseMock.url, {
      path: `${sseMock.url}/generate`,
      authHeader: 'X-Api-Key',
      authPrefix: '',
      headers: { 'x-team': 'search' },
      requestTemplate: { messages: '{{messages}}', system: '{{system}}', stream: '{{stream}}' },
      response: { textPath: 'output.text' },
    });
    await sse.complete(
      call({
        messages: [
          { role: 'developer', content: 'Be kind.' },
          { role: 'user', content: 'Hi' },
        ],
      }),
    );
    const sent = sseMock.requests[0]!;
    expect(sent.headers['x-api-key']).toBe(API_KEY);
    expect(sent.headers['x-team']).toBe('search');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual({
      messages: [
        { role: 'developer', content: 'Be kind.' },
        { role: 'user', content: 'Hi' },
      ],
      system: 'Be kind.',
      stream: false,
    });
  });

  it('refuses what the mapping cannot carry, before sending', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    expect(await rejection(adapter.complete(call({ tools })))).toMatchObject({
      kind: 'bad_request',
      code: 'unsupported_parameter',
      param: 'tools',
      provider: 'my-llm',
    });
    expect((await rejection(adapter.stream(call({ seed: 1 })))).param).toBe('seed');
    expect((await rejection(adapter.complete(call({ n: 3 })))).param).toBe('n');
    expect(
      (await rejection(adapter.complete(call({ response_format: { type: 'json_object' } })))).param,
    ).toBe('response_format');
    const image = await rejection(
      adapter.complete(
        call({
          messages: [
            {
              role: 'user',
              content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }],
            },
          ],
        }),
      ),
    );
    expect(image.param).toBe('messages[0].content');
    expect(mock.requests).toHaveLength(0);
    await adapter.complete(call({ tools, tool_choice: 'none' }));
    expect(mock.requests).toHaveLength(1);
  });

  it('reports an answer without text at the text path as a protocol error', async () => {
    const wrongPath = adapterFor(mock.url, {
      path: '/generate',
      requestTemplate: { prompt: '{{prompt}}' },
      response: { textPath: 'choices[0].text' },
    });
    expect(await rejection(wrongPath.complete(call({})))).toMatchObject({ kind: 'protocol' });
  });
});

describe('custom adapter: streaming', () => {
  it('streams NDJSON deltas, then usage and finish', async () => {
    const events = await collect(await adapter.stream(call({})));
    expect(events[0]).toMatchObject({ type: 'start', model: MODEL });
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(4);
    expect(textOf(events)).toBe('Echo: Hello custom');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5 } },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'end' } },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ stream: true });
    expect(mock.requests[0]?.headers.accept).toBe('application/x-ndjson');
  });

  it('streams SSE until doneData, with request fields merged in', async () => {
    const sse = adapterFor(sseMock.url, {
      path: '/generate',
      authHeader: 'x-api-key',
      authPrefix: '',
      requestTemplate: { prompt: '{{prompt}}' },
      response: { textPath: 'output.text' },
      stream: {
        framing: 'sse',
        requestFields: { stream: true },
        textPath: 'delta',
        finishReasonPath: 'stop_reason',
        outputTokensPath: 'usage.out',
        doneData: CUSTOM_MOCK_DONE,
      },
    });
    const events = await collect(await sse.stream(call({})));
    expect(textOf(events)).toBe('Echo: Hello custom');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 0, outputTokens: 3, totalTokens: 3 } },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'end' } },
    ]);
    expect(sseMock.requests[0]?.body).toEqual({ prompt: 'Hello custom', stream: true });
  });

  it('answers non-stream calls from a stream-only mapping, and streams a response-only mapping as one delta', async () => {
    const streamOnly = adapterFor(mock.url, {
      path: '/generate',
      requestTemplate: { prompt: '{{prompt}}', stream: '{{stream}}' },
      stream: customFormat.stream,
    });
    const response = await streamOnly.complete(call({}));
    expect(response.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'Echo: Hello custom' },
        finishReason: { unified: 'stop', raw: 'end' },
      },
    ]);
    expect(response.usage?.outputTokens).toBe(3);

    const responseOnly = adapterFor(mock.url, {
      path: '/generate',
      requestTemplate: { prompt: '{{prompt}}' },
      response: customFormat.response,
    });
    const events = await collect(await responseOnly.stream(call({})));
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'usage', 'finish']);
    expect(textOf(events)).toBe('Echo: Hello custom');
  });

  it('ends a cut stream with a connection error event, never a finish', async () => {
    mock.failNext({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(await adapter.stream(call({})));
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(2);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'connection' } });
  });

  it('turns an in-stream error line into an error event', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(await adapter.stream(call({})));
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'error']);
    expect(events.at(-1)).toMatchObject({ error: { kind: 'server', code: 'server_error' } });
  });

  it('turns garbage into a protocol error event', async () => {
    mock.failNext({ kind: 'garbage' });
    const events = await collect(await adapter.stream(call({})));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('closes the upstream connection when the consumer stops early', async () => {
    mock.behaviour = { chunkIntervalMs: 100, streamChunks: 8 };
    for await (const event of await adapter.stream(call({})))
      if (event.type === 'text-delta') break;
    await expect.poll(() => mock.clientAborts, { timeout: 2_000 }).toBe(1);
  });
});

describe('custom adapter: failures', () => {
  it('classifies errors by status and message', async () => {
    mock.failNext({ kind: 'server-error' });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'server',
      status: 500,
      code: 'server_error',
    });

    mock.failNext({ kind: 'rate-limited', retryAfterMs: 2000 });
    expect(await rejection(adapter.complete(call({})))).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 2000,
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

    expect(
      await rejection(adapterFor(mock.url, customFormat, 'wrong').complete(call({}))),
    ).toMatchObject({ kind: 'auth' });
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

describe('custom adapter: probe and models', () => {
  it('probes the endpoint itself: any answer but a server or auth error means up', async () => {
    expect(await adapter.probe(options())).toMatchObject({ check: 'GET /', status: 404 });
    expect(mock.requests[0]).toMatchObject({ method: 'GET', url: '/' });
    expect(
      await rejection(adapterFor(mock.url, customFormat, 'wrong').probe(options())),
    ).toMatchObject({ kind: 'auth' });
  });

  it('lists the configured models', async () => {
    expect(await adapter.listModels(options())).toEqual([{ id: MODEL, contextWindow: 4096 }]);
  });
});
