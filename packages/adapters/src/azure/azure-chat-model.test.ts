import {
  expandOpenAIChunk,
  providerSchema,
  UpstreamError,
  type ChatRequest,
  type OpenAIChunkEvent,
  type ProviderAdapter,
  type StreamEvent,
  type UpstreamErrorKind,
} from '@switchyard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeHttpAgent } from '../http/index.ts';
import { startOpenAIMock, type OpenAIMock, type MockFault } from '@switchyard/testkit';
import { AZURE_DEFAULT_API_VERSION, createAzureAdapter } from './azure-chat-model.ts';

const API_KEY = 'azure-resource-key';
let mock: OpenAIMock;

function makeAdapter(
  overrides: Record<string, unknown> = {},
  config: Record<string, unknown> = {},
): ProviderAdapter {
  return createAzureAdapter(
    providerSchema.parse({
      id: 'azure-east',
      name: 'Azure East',
      type: 'azure',
      endpoint: mock.url,
      apiKey: API_KEY,
      config,
      ...overrides,
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

function chunks(events: StreamEvent[]): OpenAIChunkEvent[] {
  return events.filter((event): event is OpenAIChunkEvent => event.type === 'openai-chunk');
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

beforeAll(async () => {
  mock = await startOpenAIMock({
    flavor: 'azure',
    apiKey: API_KEY,
    models: ['gpt4o-prod', 'mini-dev'],
  });
});

beforeEach(() => {
  mock.reset();
  mock.contentFilter = undefined;
});

afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

describe('deployments API', () => {
  it('calls the deployment URL with the api-version and the api-key header', async () => {
    const response = await makeAdapter().complete({
      request: chat('hello azure'),
      model: 'gpt4o-prod',
      options: options(),
    });
    expect(response.choices[0]!.message.content).toBe('Echo: hello azure');
    expect(response.model).toBe('gpt4o-prod');
    const sent = mock.requests[0]!;
    expect(sent.url).toBe(
      `/openai/deployments/gpt4o-prod/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`,
    );
    expect(sent.headers['api-key']).toBe(API_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({
      model: 'gpt4o-prod',
      messages: [{ role: 'user', content: 'hello azure' }],
    });
  });

  it('uses the configured api-version and accepts an endpoint ending in /openai', async () => {
    await makeAdapter(
      { endpoint: `${mock.url}/openai/` },
      { apiVersion: '2025-04-01-preview' },
    ).complete({ request: chat('x'), model: 'mini-dev', options: options() });
    expect(mock.requests[0]!.url).toBe(
      '/openai/deployments/mini-dev/chat/completions?api-version=2025-04-01-preview',
    );
  });

  it('sends an Entra token as a bearer token when configured', async () => {
    await makeAdapter({}, { authMode: 'bearer' }).complete({
      request: chat('x'),
      model: 'mini-dev',
      options: options(),
    });
    expect(mock.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(mock.requests[0]!.headers['api-key']).toBeUndefined();
  });

  it('drops the leading prompt-filter chunk and keeps usage', async () => {
    const events = await collect(
      await makeAdapter().stream({
        request: chat('stream on azure'),
        model: 'gpt4o-prod',
        options: options(),
      }),
    );
    const all = chunks(events);
    expect(all.every((event) => !event.data.includes('prompt_filter_results'))).toBe(true);
    expect(all.every((event) => (JSON.parse(event.data) as { id: string }).id !== '')).toBe(true);
    const text = all
      .flatMap(expandOpenAIChunk)
      .map((event) => (event.type === 'text-delta' ? event.text : ''))
      .join('');
    expect(text).toBe('Echo: stream on azure');
    expect(all.filter((event) => event.hasOutput)).toHaveLength(4);
    expect(all.at(-1)!.usage).toMatchObject({ inputTokens: 3, outputTokens: 4 });
    expect(events.at(-1)!.type).toBe('openai-chunk');
    expect(mock.requests[0]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('does not send stream_options to API versions that refuse it', async () => {
    await collect(
      await makeAdapter({}, { apiVersion: '2024-02-15-preview' }).stream({
        request: chat('x'),
        model: 'gpt4o-prod',
        options: options(),
      }),
    );
    expect(mock.requests[0]!.body).toMatchObject({ stream: true });
    expect(mock.requests[0]!.body).not.toHaveProperty('stream_options');
  });

  it('reports a filtered completion as content_filter', async () => {
    mock.contentFilter = 'completion';
    const response = await makeAdapter().complete({
      request: chat('x'),
      model: 'gpt4o-prod',
      options: options(),
    });
    expect(response.choices[0]!.finishReason).toEqual({
      unified: 'content_filter',
      raw: 'content_filter',
    });
    const events = await collect(
      await makeAdapter().stream({ request: chat('x'), model: 'gpt4o-prod', options: options() }),
    );
    expect(chunks(events).find((event) => event.finish)?.finish).toEqual({
      unified: 'content_filter',
      raw: 'content_filter',
    });
    expect(chunks(events).some((event) => event.hasOutput)).toBe(false);
  });

  it('rejects a filtered prompt as content_filter, a client fault', async () => {
    mock.contentFilter = 'prompt';
    const error = await rejection(
      makeAdapter().complete({ request: chat('x'), model: 'gpt4o-prod', options: options() }),
    );
    expect(error).toMatchObject({
      kind: 'content_filter',
      status: 400,
      code: 'content_filter',
      param: 'prompt',
      isClientFault: true,
    });
  });

  it('rejects an unknown deployment as not_found', async () => {
    const error = await rejection(
      makeAdapter().complete({ request: chat('x'), model: 'nope', options: options() }),
    );
    expect(error).toMatchObject({ kind: 'not_found', status: 404, code: 'DeploymentNotFound' });
  });

  it('probes and lists models with the api-version', async () => {
    const adapter = makeAdapter();
    expect(await adapter.probe(options())).toMatchObject({
      check: 'GET /openai/models',
      status: 200,
    });
    expect(mock.requests[0]!.url).toBe(`/openai/models?api-version=${AZURE_DEFAULT_API_VERSION}`);
    expect(mock.requests[0]!.headers['api-key']).toBe(API_KEY);
    expect((await adapter.listModels(options())).map((model) => model.id)).toEqual([
      'gpt4o-prod',
      'mini-dev',
    ]);
  });
});

describe('v1 API', () => {
  it('calls /openai/v1 with the deployment as the model', async () => {
    const adapter = makeAdapter({}, { azureApiStyle: 'v1' });
    const response = await adapter.complete({
      request: chat('hi v1'),
      model: 'mini-dev',
      options: options(),
    });
    expect(response.choices[0]!.message.content).toBe('Echo: hi v1');
    expect(mock.requests[0]!.url).toBe('/openai/v1/chat/completions');
    expect(mock.requests[0]!.body).toMatchObject({ model: 'mini-dev' });
    expect(await adapter.probe(options())).toMatchObject({
      check: 'GET /openai/v1/models',
      status: 200,
    });
    expect(mock.requests[1]!.url).toBe('/openai/v1/models');
  });
});

describe('faults', () => {
  const cases: Array<[MockFault, UpstreamErrorKind, Partial<UpstreamError>]> = [
    [{ kind: 'server-error' }, 'server', { status: 500 }],
    [
      { kind: 'rate-limited', retryAfterMs: 4200 },
      'rate_limited',
      { status: 429, retryAfterMs: 4200, code: '429' },
    ],
    [{ kind: 'overloaded' }, 'overloaded', { status: 503 }],
    [{ kind: 'auth' }, 'auth', { status: 401 }],
    [
      { kind: 'context-length' },
      'context_length',
      { status: 400, code: 'context_length_exceeded' },
    ],
    [{ kind: 'garbage' }, 'protocol', {}],
  ];

  it.each(cases)('classifies %o as %s', async (fault, kind, fields) => {
    mock.failNext(fault);
    const error = await rejection(
      makeAdapter().complete({ request: chat('x'), model: 'gpt4o-prod', options: options() }),
    );
    expect(error.kind).toBe(kind);
    expect(error).toMatchObject({ provider: 'azure-east', ...fields });
  });

  it('rejects a wrong key as auth', async () => {
    const error = await rejection(makeAdapter({ apiKey: 'wrong' }).probe(options()));
    expect(error).toMatchObject({ kind: 'auth', status: 401, code: '401' });
  });

  it('ends a cut stream and an in-stream error with error events', async () => {
    mock.failNext({ kind: 'cut-stream', afterChunks: 1 });
    const cut = await collect(
      await makeAdapter().stream({
        request: chat('a b c'),
        model: 'gpt4o-prod',
        options: options(),
      }),
    );
    expect(cut.at(-1)).toMatchObject({ type: 'error', error: { kind: 'connection' } });
    mock.failNext({ kind: 'stream-error', afterChunks: 2 });
    const failed = await collect(
      await makeAdapter().stream({
        request: chat('a b c'),
        model: 'gpt4o-prod',
        options: options(),
      }),
    );
    expect(failed.at(-1)).toMatchObject({ type: 'error', error: { kind: 'server' } });
  });

  it('times out on a hanging deployment', async () => {
    mock.failNext({ kind: 'hang' });
    const error = await rejection(
      makeAdapter().stream({ request: chat('x'), model: 'gpt4o-prod', options: options(300) }),
    );
    expect(error.kind).toBe('timeout');
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1), { timeout: 2_000 });
  });

  it('needs an endpoint', () => {
    expect(() =>
      createAzureAdapter(providerSchema.parse({ id: 'a', name: 'A', type: 'azure', apiKey: 'k' })),
    ).toThrow(/endpoint/);
  });
});
