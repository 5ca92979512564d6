import { createServer } from 'node:net';
import {
  findDefinition,
  expandOpenAIChunk,
  providerSchema,
  UpstreamError,
  type ChatRequest,
  type ProviderAdapter,
  type StreamEvent,
} from '@switchyard/core';
import { afterAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '../http/index.ts';
import { defaultDefinitions } from '../registry.ts';
import { startOpenAIMock, type OpenAIMock, type OpenAIMockFlavor } from '@switchyard/testkit';
import { createOpenAICompatibleAdapter } from './openai-compatible-chat-model.ts';
import { OPENAI_COMPATIBLE_PRESETS } from './openai-compatible-presets.ts';

const mocks: OpenAIMock[] = [];

async function mockOf(flavor: OpenAIMockFlavor, apiKey?: string): Promise<OpenAIMock> {
  const mock = await startOpenAIMock({
    flavor,
    models: ['local-model'],
    ...(apiKey ? { apiKey } : {}),
  });
  mocks.push(mock);
  return mock;
}

function adapterFor(
  type: string,
  endpoint: string | undefined,
  extra: Record<string, unknown> = {},
): ProviderAdapter {
  return createOpenAICompatibleAdapter(
    providerSchema.parse({
      id: `${type}-box`,
      name: type,
      type,
      ...(endpoint ? { endpoint } : {}),
      ...extra,
    }),
  );
}

function options(timeoutMs = 5_000) {
  return { signal: new AbortController().signal, deadline: Date.now() + timeoutMs };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
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

afterAll(async () => {
  await Promise.all(mocks.map((mock) => mock.close()));
  await closeHttpAgent();
});

describe.each([
  ['lmstudio', 'LM Studio', '/v1/models'],
  ['ollama', 'Ollama', '/api/version'],
  ['vllm', 'vLLM', '/health'],
  ['localai', 'LocalAI', '/readyz'],
] as const)('%s preset', (type, vendor, probePath) => {
  it('completes and streams', async () => {
    const mock = await mockOf(type);
    const adapter = adapterFor(type, mock.url);
    const response = await adapter.complete({
      request: chat('local hello'),
      model: 'local-model',
      options: options(),
    });
    expect(response.choices[0]!.message.content).toBe('Echo: local hello');
    expect(mock.requests[0]!.url).toBe('/v1/chat/completions');
    expect(mock.requests[0]!.headers.authorization).toBeUndefined();
    const events = await collect(
      await adapter.stream({
        request: chat('local stream'),
        model: 'local-model',
        options: options(),
      }),
    );
    const text = events
      .flatMap((event) => (event.type === 'openai-chunk' ? expandOpenAIChunk(event) : []))
      .map((event) => (event.type === 'text-delta' ? event.text : ''));
    expect(text.join('')).toBe('Echo: local stream');
    expect(events.at(-1)!.type).toBe('openai-chunk');
    expect(Object.hasOwn(mock.requests[1]!.body as object, 'stream_options')).toBe(
      OPENAI_COMPATIBLE_PRESETS[type].streamUsage,
    );
  });

  it('classifies its "model not loaded / loading" answer as model_loading', async () => {
    const mock = await mockOf(type);
    mock.failNext({ kind: 'model-loading' });
    const error = await rejection(
      adapterFor(type, mock.url).complete({
        request: chat('x'),
        model: 'local-model',
        options: options(),
      }),
    );
    expect(error).toMatchObject({
      kind: 'model_loading',
      retryable: true,
      provider: `${type}-box`,
    });
    expect(error.message.startsWith(`${vendor} `)).toBe(true);
  });

  it('classifies its context-length answer as context_length', async () => {
    const mock = await mockOf(type);
    mock.failNext({ kind: 'context-length' });
    const error = await rejection(
      adapterFor(type, mock.url).complete({
        request: chat('x'),
        model: 'local-model',
        options: options(),
      }),
    );
    expect(error).toMatchObject({ kind: 'context_length', status: 400 });
  });

  it(`probes ${probePath}`, async () => {
    const mock = await mockOf(type);
    expect(await adapterFor(type, mock.url).probe(options())).toMatchObject({
      check: `GET ${probePath}`,
      status: 200,
    });
    expect(mock.requests[0]).toMatchObject({ method: 'GET', url: probePath });
  });

  it('has the default endpoint core fills in', () => {
    expect(OPENAI_COMPATIBLE_PRESETS[type].defaultEndpoint).toBe(
      findDefinition(defaultDefinitions, type)?.defaultEndpoint?.({}),
    );
  });
});

describe('server specifics', () => {
  it('LM Studio gets max_tokens and refuses n > 1', async () => {
    const mock = await mockOf('lmstudio');
    const adapter = adapterFor('lmstudio', mock.url);
    await adapter.complete({
      request: chat('x', { max_completion_tokens: 64 }),
      model: 'local-model',
      options: options(),
    });
    expect(mock.requests[0]!.body).toMatchObject({ max_tokens: 64 });
    const error = await rejection(
      adapter.complete({ request: chat('x', { n: 2 }), model: 'local-model', options: options() }),
    );
    expect(error).toMatchObject({
      kind: 'bad_request',
      code: 'unsupported_parameter',
      param: 'n',
      message: 'LM Studio does not support n',
    });
    expect(mock.requests).toHaveLength(1);
  });

  it('Ollama cannot be forced to call a tool, nor fetch image URLs', async () => {
    const mock = await mockOf('ollama');
    const adapter = adapterFor('ollama', mock.url);
    const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'lookup' } }];
    expect(
      (
        await rejection(
          adapter.complete({
            request: chat('x', { tools, tool_choice: 'required' }),
            model: 'local-model',
            options: options(),
          }),
        )
      ).param,
    ).toBe('tool_choice');
    const image: ChatRequest = {
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'http://example.com/a.png' } }],
        },
      ],
    };
    expect(
      (
        await rejection(
          adapter.complete({ request: image, model: 'local-model', options: options() }),
        )
      ).param,
    ).toBe('messages');
    const response = await adapter.complete({
      request: chat('x with lookup', { tools, tool_choice: 'auto' }),
      model: 'local-model',
      options: options(),
    });
    expect(response.choices[0]!.message.tool_calls?.[0]?.function.name).toBe('lookup');
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]!.body).not.toHaveProperty('tool_choice');
  });

  it('Ollama names a model that is not pulled as not_found', async () => {
    const mock = await mockOf('ollama');
    const error = await rejection(
      adapterFor('ollama', mock.url).complete({
        request: chat('x'),
        model: 'llama9',
        options: options(),
      }),
    );
    expect(error).toMatchObject({
      kind: 'not_found',
      status: 404,
      message: 'Ollama 404: model "llama9" not found, try pulling it first',
    });
  });

  it('vLLM reports the context window and takes its bearer key', async () => {
    const mock = await mockOf('vllm', 'vllm-secret');
    expect(
      await adapterFor('vllm', mock.url, { apiKey: 'vllm-secret' }).listModels(options()),
    ).toEqual([{ id: 'local-model', ownedBy: 'vllm', contextWindow: 8192 }]);
    expect(mock.requests[0]!.headers.authorization).toBe('Bearer vllm-secret');
    const error = await rejection(
      adapterFor('vllm', mock.url, { apiKey: 'wrong' }).complete({
        request: chat('x'),
        model: 'local-model',
        options: options(),
      }),
    );
    expect(error).toMatchObject({ kind: 'auth', status: 401, message: 'vLLM 401: Unauthorized' });
  });

  it('vLLM errors carry the status as their code', async () => {
    const mock = await mockOf('vllm');
    mock.failNext({ kind: 'server-error' });
    const error = await rejection(
      adapterFor('vllm', mock.url).complete({
        request: chat('x'),
        model: 'local-model',
        options: options(),
      }),
    );
    expect(error).toMatchObject({ kind: 'server', status: 500, code: '500' });
  });

  it('a generic server needs an endpoint and accepts one ending in /v1', async () => {
    expect(() => adapterFor('openai-compatible', undefined)).toThrow(/endpoint/);
    const mock = await mockOf('vllm');
    const adapter = adapterFor('openai-compatible', `${mock.url}/v1`, { apiKey: 'token' });
    const response = await adapter.complete({
      request: chat('generic'),
      model: 'local-model',
      options: options(),
    });
    expect(response.choices[0]!.message.content).toBe('Echo: generic');
    expect(mock.requests[0]).toMatchObject({ url: '/v1/chat/completions' });
    expect(mock.requests[0]!.headers.authorization).toBe('Bearer token');
    expect(await adapter.probe(options())).toMatchObject({ check: 'GET /v1/models' });
  });

  it('reports a server that is not running as a connection failure', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const adapter = adapterFor('lmstudio', `http://127.0.0.1:${port}`);
    const error = await rejection(
      adapter.complete({ request: chat('x'), model: 'local-model', options: options() }),
    );
    expect(error).toMatchObject({ kind: 'connection', code: 'ECONNREFUSED', retryable: true });
    expect((await rejection(adapter.probe(options()))).kind).toBe('connection');
  });

  it('refuses a provider type that is not an OpenAI-compatible server', () => {
    expect(() => adapterFor('anthropic', 'http://127.0.0.1:1')).toThrow(
      /not an OpenAI-compatible server type/,
    );
  });
});
