import {
  ConfigError,
  parseConfig,
  createAdapter,
  findDefinition,
  providerSchema,
  UpstreamError,
  type ChatRequest,
  type ProviderAdapter,
  type StreamEvent,
} from '@switchyard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeHttpAgent } from '../http/index.ts';
import { defaultAdapters } from '../registry.ts';
import { startBedrockMock, type MockFault, type MockServer } from '@switchyard/testkit';
import { foundationModelInfo, readFoundationModels } from './bedrock-api.ts';
import { createBedrockAdapter } from './bedrock-chat-model.ts';

const ACCESS_KEY_ID = 'AKIDADAPTERTEST';
const SECRET = 'adapter/secret+key';
const REGION = 'eu-central-1';
const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
let mock: MockServer;
let adapter: ProviderAdapter;

function makeAdapter(
  settings: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
  server = mock,
): ProviderAdapter {
  return createBedrockAdapter(
    providerSchema.parse({
      id: 'bedrock',
      name: 'AWS Bedrock',
      type: 'aws',
      endpoint: server.url,
      apiKey: ACCESS_KEY_ID,
      config: { region: REGION, secretKey: SECRET, controlPlaneEndpoint: server.url, ...settings },
      ...overrides,
    }),
  );
}

describe('Bedrock control-plane endpoint', () => {
  it('probes and lists models through a custom runtime endpoint when no control plane is set', async () => {
    const adapter = createBedrockAdapter(
      providerSchema.parse({
        id: 'bedrock-proxy',
        name: 'Bedrock behind a proxy',
        type: 'aws',
        endpoint: mock.url,
        apiKey: ACCESS_KEY_ID,
        config: { region: REGION, secretKey: SECRET },
      }),
    );
    const probe = await adapter.probe(options());
    expect(probe.check).toBe('GET /foundation-models');
    expect((await adapter.listModels(options())).length).toBeGreaterThan(0);
  });
});

function options(timeoutMs = 5_000, signal = new AbortController().signal) {
  return { signal, deadline: Date.now() + timeoutMs };
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

const tools: ChatRequest['tools'] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
  { type: 'function', function: { name: 'get_time' } },
];

beforeAll(async () => {
  mock = await startBedrockMock({
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    region: REGION,
  });
  adapter = makeAdapter();
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

describe('Bedrock adapter: answers', () => {
  it('completes text with a SigV4-signed Converse request', async () => {
    const response = await adapter.complete({
      model: MODEL,
      request: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello world' },
        ],
        max_completion_tokens: 100,
        max_tokens: 50,
        temperature: 0.3,
        top_p: 0.8,
        stop: ['###'],
      },
      options: options(),
    });
    expect(response.choices[0]?.message.content).toBe('Echo: hello world');
    expect(response.choices[0]?.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(response.usage).toEqual({ inputTokens: 4, outputTokens: 3, totalTokens: 7 });
    expect(response.model).toBe(MODEL);
    expect(response.id).toMatch(/^00000000-0000-4000-8000-/);

    const sent = mock.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(sent?.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/${REGION}/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]*host;[a-z0-9;-]*x-amz-date`,
      ),
    );
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'hello world' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3, topP: 0.8, stopSequences: ['###'] },
    });
  });

  it('signs model ids that are ARNs (encoded twice in the canonical request)', async () => {
    const arn =
      'arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.anthropic.claude-3-5-haiku-20241022-v1:0';
    const response = await adapter.complete({
      model: arn,
      request: chat('arn'),
      options: options(),
    });
    expect(response.choices[0]?.message.content).toBe('Echo: arn');
    expect(mock.requests[0]?.url).toBe(`/model/${encodeURIComponent(arn)}/converse`);
  });

  it('streams text as typed events ending in finish and usage', async () => {
    mock.behaviour = { streamChunks: 3 };
    const events = await collect(
      await adapter.stream({ model: MODEL, request: chat('stream this'), options: options() }),
    );
    expect(events[0]).toMatchObject({
      type: 'start',
      model: MODEL,
      id: expect.stringMatching(/^00000000-/) as string,
    });
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    expect(
      events
        .filter((event) => event.type === 'text-delta')
        .map((event) => (event.type === 'text-delta' ? event.text : '')),
    ).toHaveLength(3);
    expect(events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('')).toBe(
      'Echo: stream this',
    );
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'end_turn' } },
      { type: 'usage', usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5 } },
    ]);
    expect(mock.requests[0]?.url).toBe(
      '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream',
    );
    expect(mock.requests[0]?.headers.accept).toBe('application/vnd.amazon.eventstream');
  });

  it('returns tool calls from a non-streamed answer and sends the toolConfig', async () => {
    const response = await adapter.complete({
      model: MODEL,
      request: chat('Oslo', {
        tools,
        tool_choice: { type: 'function', function: { name: 'get_time' } },
      }),
      options: options(),
    });
    const choice = response.choices[0];
    expect(choice?.finishReason).toEqual({ unified: 'tool_calls', raw: 'tool_use' });
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^tooluse_/) as string,
        type: 'function',
        function: { name: 'get_time', arguments: '{"input":"Oslo"}' },
      },
    ]);
    expect((mock.requests[0]?.body as Record<string, unknown>).toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Weather',
            inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } },
          },
        },
        {
          toolSpec: { name: 'get_time', inputSchema: { json: { type: 'object', properties: {} } } },
        },
      ],
      toolChoice: { tool: { name: 'get_time' } },
    });
  });

  it('streams a tool call: the first delta carries id and name', async () => {
    const events = await collect(
      await adapter.stream({
        model: MODEL,
        request: chat('Bergen', { tools, tool_choice: 'required' }),
        options: options(),
      }),
    );
    const deltas = events.filter((event) => event.type === 'tool-call-delta');
    expect(deltas[0]).toMatchObject({
      toolCallIndex: 0,
      id: expect.stringMatching(/^tooluse_/) as string,
      name: 'get_weather',
      argumentsDelta: '',
    });
    expect(
      deltas.slice(1).every((delta) => delta.id === undefined && delta.toolCallIndex === 0),
    ).toBe(true);
    expect(deltas.map((delta) => delta.argumentsDelta).join('')).toBe('{"input":"Bergen"}');
    expect(events.find((event) => event.type === 'finish')).toMatchObject({
      reason: { unified: 'tool_calls', raw: 'tool_use' },
    });
    expect(
      ((mock.requests[0]?.body as Record<string, unknown>).toolConfig as Record<string, unknown>)
        .toolChoice,
    ).toEqual({ any: {} });
  });

  it('sends a tool round trip as toolUse and toolResult blocks', async () => {
    const response = await adapter.complete({
      model: MODEL,
      request: {
        tools,
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
          { role: 'user', content: 'Thanks, get_weather for Bergen too' },
        ],
      },
      options: options(),
    });
    expect(response.choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe(
      '{"input":"Thanks, get_weather for Bergen too"}',
    );
    expect((mock.requests[0]?.body as Record<string, unknown>).messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Oslo' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'call_1', content: [{ text: '3 degrees' }] } },
          { text: 'Thanks, get_weather for Bergen too' },
        ],
      },
    ]);
  });

  it('refuses an image URL Bedrock cannot fetch, without sending anything', async () => {
    const request: ChatRequest = {
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }],
        },
      ],
    };
    const error = await rejection(adapter.complete({ model: MODEL, request, options: options() }));
    expect(error).toMatchObject({
      kind: 'bad_request',
      code: 'unsupported_parameter',
      param: 'messages[0].content[0].image_url.url',
      retryable: false,
      provider: 'bedrock',
    });
    expect(mock.requests).toHaveLength(0);
  });
});

describe('Bedrock adapter: authentication', () => {
  it('is refused (auth) with a wrong secret', async () => {
    const error = await rejection(
      makeAdapter({ secretKey: 'wrong-secret' }).complete({
        model: MODEL,
        request: chat('x'),
        options: options(),
      }),
    );
    expect(error).toMatchObject({
      kind: 'auth',
      status: 403,
      code: 'InvalidSignatureException',
      retryable: false,
    });
  });

  it('signs the session token of temporary credentials', async () => {
    const server = await startBedrockMock({
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET,
      sessionToken: 'session-token-1',
      region: REGION,
    });
    try {
      const response = await makeAdapter({ sessionToken: 'session-token-1' }, {}, server).complete({
        model: MODEL,
        request: chat('temp'),
        options: options(),
      });
      expect(response.choices[0]?.message.content).toBe('Echo: temp');
      expect(server.requests[0]?.headers['x-amz-security-token']).toBe('session-token-1');
      const refused = await rejection(
        makeAdapter({}, {}, server).complete({
          model: MODEL,
          request: chat('x'),
          options: options(),
        }),
      );
      expect(refused).toMatchObject({ kind: 'auth', code: 'UnrecognizedClientException' });
    } finally {
      await server.close();
    }
  });

  it('accepts a Bedrock API key as a bearer token', async () => {
    const server = await startBedrockMock({ apiKey: 'bedrock-api-key-1', region: REGION });
    try {
      const bearer = makeAdapter(
        { authMode: 'bearer', secretKey: undefined },
        { apiKey: 'bedrock-api-key-1' },
        server,
      );
      const events = await collect(
        await bearer.stream({ model: MODEL, request: chat('bearer'), options: options() }),
      );
      expect(events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('')).toBe(
        'Echo: bearer',
      );
      expect(server.requests[0]?.headers.authorization).toBe('Bearer bedrock-api-key-1');
      const wrong = makeAdapter({ authMode: 'bearer' }, { apiKey: 'not-the-key' }, server);
      expect(
        await rejection(wrong.complete({ model: MODEL, request: chat('x'), options: options() })),
      ).toMatchObject({ kind: 'auth', status: 403 });
    } finally {
      await server.close();
    }
  });

  it('serves a seed-shaped aws provider loaded with parseConfig, through the registry', async () => {
    const config = parseConfig(
      {
        providers: [
          {
            id: 'aws-1',
            name: 'AWS',
            type: 'aws',
            endpoint: mock.url,
            apiKey: '${AWS_ACCESS_KEY_ID}',
            config: {
              region: REGION,
              secretKey: '${AWS_SECRET_ACCESS_KEY}',
              controlPlaneEndpoint: mock.url,
            },
          },
        ],
      },
      defaultAdapters,
      { env: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET } },
    );
    const provider = config.providers[0]!;
    const seeded = createAdapter(defaultAdapters, provider)!;
    expect(findDefinition(defaultAdapters, 'bedrock')).toBe(findDefinition(defaultAdapters, 'aws'));
    const response = await seeded.complete({
      model: MODEL,
      request: chat('from the seed'),
      options: options(),
    });
    expect(response.choices[0]?.message.content).toBe('Echo: from the seed');
  });

  it('refuses to build without a region it can use', () => {
    expect(() =>
      createBedrockAdapter(
        providerSchema.parse({
          id: 'b',
          name: 'B',
          type: 'bedrock',
          endpoint: 'http://127.0.0.1:9',
          apiKey: 'a',
          config: { secretKey: 's' },
        }),
      ),
    ).toThrow(ConfigError);
  });
});

describe('Bedrock adapter: failures', () => {
  const statusFaults: [string, MockFault, Partial<UpstreamError>][] = [
    [
      'server error',
      { kind: 'server-error' },
      { kind: 'server', status: 500, code: 'InternalServerException', retryable: true },
    ],
    [
      'throttle with a retry hint',
      { kind: 'rate-limited', retryAfterMs: 2000 },
      { kind: 'rate_limited', status: 429, code: 'ThrottlingException', retryAfterMs: 2000 },
    ],
    [
      'throttle without a hint',
      { kind: 'rate-limited' },
      { kind: 'rate_limited', status: 429, retryAfterMs: undefined },
    ],
    [
      'unavailable service',
      { kind: 'overloaded' },
      { kind: 'overloaded', status: 503, code: 'ServiceUnavailableException' },
    ],
    [
      'model not ready',
      { kind: 'model-loading' },
      { kind: 'overloaded', status: 429, code: 'ModelNotReadyException' },
    ],
    [
      'bad token',
      { kind: 'auth' },
      { kind: 'auth', status: 403, code: 'UnrecognizedClientException' },
    ],
    [
      'too long input',
      { kind: 'context-length' },
      { kind: 'context_length', status: 400, code: 'ValidationException', retryable: false },
    ],
  ];

  it.each(statusFaults)(
    'classifies a %s, plain and before a stream',
    async (_name, fault, expected) => {
      mock.failNext(fault, 2);
      expect(
        await rejection(adapter.complete({ model: MODEL, request: chat('x'), options: options() })),
      ).toMatchObject({ ...expected, provider: 'bedrock' });
      expect(
        await rejection(adapter.stream({ model: MODEL, request: chat('x'), options: options() })),
      ).toMatchObject(expected);
    },
  );

  it('classifies garbage bytes as a protocol error', async () => {
    mock.failNext({ kind: 'garbage' }, 2);
    expect(
      (await rejection(adapter.complete({ model: MODEL, request: chat('x'), options: options() })))
        .kind,
    ).toBe('protocol');
    const events = await collect(
      await adapter.stream({ model: MODEL, request: chat('x'), options: options() }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('ends a cut stream with an error event, never a finish', async () => {
    mock.failNext({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(
      await adapter.stream({ model: MODEL, request: chat('cut me please'), options: options() }),
    );
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: expect.stringMatching(/^(connection|protocol)$/) as string },
    });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('turns an exception frame into an error event', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(
      await adapter.stream({ model: MODEL, request: chat('x'), options: options() }),
    );
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'server', code: 'ModelStreamErrorException', provider: 'bedrock' },
    });
  });

  it('times out a hung upstream within the deadline', async () => {
    mock.setFault({ kind: 'hang' });
    const started = Date.now();
    expect(
      (
        await rejection(
          adapter.complete({ model: MODEL, request: chat('x'), options: options(300) }),
        )
      ).kind,
    ).toBe('timeout');
    expect(
      (await rejection(adapter.stream({ model: MODEL, request: chat('x'), options: options(300) })))
        .kind,
    ).toBe('timeout');
    // Cut by the 300 ms deadlines, not by a default timeout (30 s); slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('times out when headers arrive after the deadline', async () => {
    mock.failNext({ kind: 'slow-headers', delayMs: 5_000 });
    expect(
      (
        await rejection(
          adapter.complete({ model: MODEL, request: chat('x'), options: options(300) }),
        )
      ).kind,
    ).toBe('timeout');
  });

  it('rejects with the abort reason when the caller aborts, and the upstream sees the disconnect', async () => {
    mock.setFault({ kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      adapter.complete({
        model: MODEL,
        request: chat('x'),
        options: options(5_000, controller.signal),
      }),
    ).rejects.toBe(reason);
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1));
  });

  it('closes the upstream connection when the consumer stops reading early', async () => {
    mock.behaviour = { streamChunks: 8, chunkIntervalMs: 40 };
    const events = await adapter.stream({
      model: MODEL,
      request: chat('a long answer to stop early'),
      options: options(),
    });
    for await (const event of events) if (event.type === 'text-delta') break;
    await vi.waitFor(() => expect(mock.clientAborts).toBe(1));
  });
});

describe('Bedrock adapter: probe and models', () => {
  it('probes the control plane with a signed ListFoundationModels', async () => {
    const result = await adapter.probe(options());
    expect(result).toMatchObject({ check: 'GET /foundation-models', status: 200 });
    expect(mock.requests[0]?.url).toBe('/foundation-models?byOutputModality=TEXT');
    expect(mock.requests[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('rejects the probe with an auth error for a wrong secret', async () => {
    expect(await rejection(makeAdapter({ secretKey: 'wrong' }).probe(options()))).toMatchObject({
      kind: 'auth',
      status: 403,
    });
  });

  it('lists foundation models', async () => {
    expect(await adapter.listModels(options())).toEqual([
      { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', ownedBy: 'Anthropic', kind: 'chat' },
      { id: 'amazon.nova-lite-v1:0', ownedBy: 'Amazon', kind: 'chat' },
      { id: 'meta.llama3-1-8b-instruct-v1:0', ownedBy: 'Meta', kind: 'chat' },
    ]);
  });

  it('tells embedding models from chat models by their output modalities', () => {
    const listed = readFoundationModels({
      modelSummaries: [
        { modelId: 'amazon.titan-embed-text-v2:0', outputModalities: ['EMBEDDING'] },
        {
          modelId: 'cohere.embed-english-v3',
          providerName: 'Cohere',
          outputModalities: ['EMBEDDING'],
        },
        { modelId: 'amazon.nova-lite-v1:0', outputModalities: ['TEXT'] },
        { modelId: 'stability.sd3-large-v1:0', outputModalities: ['IMAGE'] },
      ],
    });
    expect(listed?.map(foundationModelInfo)).toEqual([
      { id: 'amazon.titan-embed-text-v2:0', kind: 'embedding' },
      { id: 'cohere.embed-english-v3', ownedBy: 'Cohere', kind: 'embedding' },
      { id: 'amazon.nova-lite-v1:0', kind: 'chat' },
      { id: 'stability.sd3-large-v1:0' },
    ]);
  });
});
