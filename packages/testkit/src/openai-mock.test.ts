// Fidelity of the OpenAI mock: the official `openai` SDK (and its AzureOpenAI client) must parse
// every answer into its typed results and map every error to its own error classes.
import {
  APIError,
  AuthenticationError,
  AzureOpenAI,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OpenAI,
  RateLimitError,
} from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIMock, type OpenAIMock, type OpenAIMockFlavor } from './openai-mock.ts';

const API_KEY = 'sk-fidelity';
const tools: ChatCompletionTool[] = [
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
];

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
}

describe('OpenAI SDK against the openai flavour', () => {
  let mock: OpenAIMock;
  let client: OpenAI;

  beforeAll(async () => {
    mock = await startOpenAIMock({ apiKey: API_KEY, models: ['gpt-mock', 'gpt-mock-mini'] });
    client = new OpenAI({
      apiKey: API_KEY,
      baseURL: `${mock.url}/v1`,
      maxRetries: 0,
      timeout: 5_000,
    });
  });
  beforeEach(() => mock.reset());
  afterAll(() => mock.close());

  it('parses a completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-mock',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'hi there' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-mock');
    expect(completion.choices[0]?.message.content).toBe('Echo: hi there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 4,
      completion_tokens: 3,
      total_tokens: 7,
    });
    expect(mock.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('streams chunks, the usage chunk with empty choices last', async () => {
    mock.behaviour.streamChunks = 3;
    const stream = await client.chat.completions.create({
      model: 'gpt-mock',
      messages: [{ role: 'user', content: 'stream this' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const received: ChatCompletionChunk[] = [];
    for await (const chunk of stream) received.push(chunk);
    expect(received.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Echo: stream this',
    );
    expect(received.filter((chunk) => chunk.choices[0]?.delta.content)).toHaveLength(3);
    expect(received.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(received.at(-1)?.choices).toEqual([]);
    expect(received.at(-1)?.usage).toMatchObject({
      prompt_tokens: 2,
      completion_tokens: 3,
      total_tokens: 5,
    });
    expect(new Set(received.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('omits usage from a stream that did not ask for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-mock',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const received: ChatCompletionChunk[] = [];
    for await (const chunk of stream) received.push(chunk);
    expect(received.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(
      true,
    );
  });

  it('answers with a tool call, plain and streamed', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-mock',
      messages: [{ role: 'user', content: 'Oslo weather, by get_weather' }],
      tools,
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      input: 'Oslo weather, by get_weather',
    });

    const stream = client.chat.completions.stream({
      model: 'gpt-mock',
      messages: [{ role: 'user', content: 'what time' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    const final = await stream.finalChatCompletion();
    const streamedCall = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(streamedCall?.type === 'function' && streamedCall.function).toEqual({
      name: 'get_time',
      arguments: '{"input":"what time"}',
    });
  });

  it('calls a tool only when the prompt names it or tool_choice forces one', async () => {
    const ask = (content: string, extra: Partial<ChatCompletionCreateParamsNonStreaming> = {}) =>
      client.chat.completions.create({
        model: 'gpt-mock',
        messages: [{ role: 'user', content }],
        tools,
        ...extra,
      });
    const offered = await ask('Oslo weather');
    expect(offered.choices[0]?.finish_reason).toBe('stop');
    expect(offered.choices[0]?.message.content).toBe('Echo: Oslo weather');
    const required = await ask('Oslo weather', { tool_choice: 'required' });
    expect(required.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: 'get_weather' },
    });
    const answered = await client.chat.completions.create({
      model: 'gpt-mock',
      tools,
      messages: [
        { role: 'user', content: 'Oslo weather, by get_weather' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'Sunny' },
      ],
    });
    expect(answered.choices[0]?.finish_reason).toBe('stop');
    expect(answered.choices[0]?.message.content).toBe('Echo: Oslo weather, by get_weather');
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-mock', 'gpt-mock-mini']);
  });

  it('maps errors to the SDK error classes', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${mock.url}/v1`, maxRetries: 0 });
    const auth = await thrown(
      bad.chat.completions.create({
        model: 'gpt-mock',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect(auth).toMatchObject({ status: 401, code: 'invalid_api_key' });

    mock.failNext({ kind: 'rate-limited', retryAfterMs: 1200 });
    const limited = await thrown(
      client.chat.completions.create({
        model: 'gpt-mock',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after-ms')).toBe('1200');

    mock.failNext({ kind: 'server-error' });
    expect(
      await thrown(
        client.chat.completions.create({
          model: 'gpt-mock',
          messages: [{ role: 'user', content: 'x' }],
        }),
      ),
    ).toBeInstanceOf(InternalServerError);

    mock.failNext({ kind: 'overloaded' });
    expect(
      await thrown(
        client.chat.completions.create({
          model: 'gpt-mock',
          messages: [{ role: 'user', content: 'x' }],
        }),
      ),
    ).toMatchObject({ status: 503 });

    mock.failNext({ kind: 'context-length' });
    const tooLong = await thrown(
      client.chat.completions.create({
        model: 'gpt-mock',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(tooLong).toBeInstanceOf(BadRequestError);
    expect(tooLong).toMatchObject({ code: 'context_length_exceeded', param: 'messages' });

    const missing = await thrown(
      client.chat.completions.create({
        model: 'gpt-nope',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(missing).toBeInstanceOf(NotFoundError);
  });

  it('surfaces an in-stream error as an SDK APIError', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const stream = await client.chat.completions.create({
      model: 'gpt-mock',
      messages: [{ role: 'user', content: 'a b c' }],
      stream: true,
    });
    const error = await thrown(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('The server had an error');
  });
});

describe('AzureOpenAI SDK against the azure flavour', () => {
  let mock: OpenAIMock;
  let client: AzureOpenAI;

  beforeAll(async () => {
    mock = await startOpenAIMock({ flavor: 'azure', apiKey: API_KEY, models: ['prod-4o'] });
    client = new AzureOpenAI({
      endpoint: mock.url,
      apiKey: API_KEY,
      apiVersion: '2024-10-21',
      maxRetries: 0,
      timeout: 5_000,
    });
  });
  beforeEach(() => {
    mock.reset();
    mock.contentFilter = undefined;
  });
  afterAll(() => mock.close());

  it('calls the deployment path with api-key auth and parses the completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'prod-4o',
      messages: [{ role: 'user', content: 'hello azure' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Echo: hello azure');
    expect(mock.requests[0]!.url).toBe(
      '/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21',
    );
    expect(mock.requests[0]!.headers['api-key']).toBe(API_KEY);
  });

  it('streams with the prompt-filter chunk first and the usage chunk last', async () => {
    const stream = await client.chat.completions.create({
      model: 'prod-4o',
      messages: [{ role: 'user', content: 'azure stream' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const received: ChatCompletionChunk[] = [];
    for await (const chunk of stream) received.push(chunk);
    expect(received[0]?.choices).toEqual([]);
    expect(received[0]).toHaveProperty('prompt_filter_results');
    expect(received.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Echo: azure stream',
    );
    expect(received.at(-1)?.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 3 });
  });

  it('lists models on the dated API', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['prod-4o']);
    expect(mock.requests[0]!.url).toBe('/openai/models?api-version=2024-10-21');
  });

  it('maps Azure errors to the SDK error classes', async () => {
    const bad = new AzureOpenAI({
      endpoint: mock.url,
      apiKey: 'wrong',
      apiVersion: '2024-10-21',
      maxRetries: 0,
    });
    expect(
      await thrown(
        bad.chat.completions.create({
          model: 'prod-4o',
          messages: [{ role: 'user', content: 'x' }],
        }),
      ),
    ).toBeInstanceOf(AuthenticationError);

    mock.failNext({ kind: 'rate-limited', retryAfterMs: 3000 });
    const limited = await thrown(
      client.chat.completions.create({
        model: 'prod-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('3');

    mock.failNext({ kind: 'server-error' });
    expect(
      await thrown(
        client.chat.completions.create({
          model: 'prod-4o',
          messages: [{ role: 'user', content: 'x' }],
        }),
      ),
    ).toBeInstanceOf(InternalServerError);

    mock.failNext({ kind: 'context-length' });
    expect(
      await thrown(
        client.chat.completions.create({
          model: 'prod-4o',
          messages: [{ role: 'user', content: 'x' }],
        }),
      ),
    ).toBeInstanceOf(BadRequestError);

    mock.contentFilter = 'prompt';
    const filtered = await thrown(
      client.chat.completions.create({
        model: 'prod-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(filtered).toBeInstanceOf(BadRequestError);
    expect(filtered).toMatchObject({ code: 'content_filter', param: 'prompt' });

    const missingDeployment = await thrown(
      client.chat.completions.create({
        model: 'not-deployed',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(missingDeployment).toBeInstanceOf(NotFoundError);
  });

  it('refuses a request without api-version like Azure does', async () => {
    const response = await fetch(`${mock.url}/openai/deployments/prod-4o/chat/completions`, {
      method: 'POST',
      headers: { 'api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(404);
  });
});

describe.each(['lmstudio', 'ollama', 'vllm', 'localai'] as const)(
  'OpenAI SDK against the %s flavour',
  (flavor: OpenAIMockFlavor) => {
    let mock: OpenAIMock;
    let client: OpenAI;

    beforeAll(async () => {
      mock = await startOpenAIMock({ flavor });
      client = new OpenAI({
        apiKey: 'unused',
        baseURL: `${mock.url}/v1`,
        maxRetries: 0,
        timeout: 5_000,
      });
    });
    afterAll(() => mock.close());

    it('completes, streams and reports errors', async () => {
      const completion = await client.chat.completions.create({
        model: 'local',
        messages: [{ role: 'user', content: 'local hi' }],
      });
      expect(completion.choices[0]?.message.content).toBe('Echo: local hi');
      const stream = await client.chat.completions.create({
        model: 'local',
        messages: [{ role: 'user', content: 'local stream' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('Echo: local stream');
      mock.failNext({ kind: 'model-loading' });
      const loading = await thrown(
        client.chat.completions.create({
          model: 'local',
          messages: [{ role: 'user', content: 'x' }],
        }),
      );
      expect(loading).toBeInstanceOf(APIError);
      expect((loading as APIError).status).toBeGreaterThanOrEqual(400);
    });
  },
);

describe.each(['lmstudio', 'vllm'] as const)('reasoning_content of the %s flavour', (flavor) => {
  let mock: OpenAIMock;
  let client: OpenAI;

  beforeAll(async () => {
    mock = await startOpenAIMock({ flavor });
    client = new OpenAI({ apiKey: 'unused', baseURL: `${mock.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => mock.close());

  it('answers a reasoning_effort with reasoning_content, plain and streamed', async () => {
    const request = {
      model: 'local',
      messages: [{ role: 'user' as const, content: 'ponder' }],
      reasoning_effort: 'low' as const,
    };
    const completion = await client.chat.completions.create(request);
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning_content).toBe('Thinking about: ponder');
    expect(message.content).toBe('Echo: ponder');
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(3);

    const stream = await client.chat.completions.create({ ...request, stream: true });
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; content?: string };
      reasoning += delta?.reasoning_content ?? '';
      text += delta?.content ?? '';
    }
    expect(reasoning).toBe('Thinking about: ponder');
    expect(text).toBe('Echo: ponder');

    const plain = await client.chat.completions.create({ ...request, reasoning_effort: 'none' });
    expect(plain.choices[0]?.message).not.toHaveProperty('reasoning_content');
  });
});

describe('health routes of the local flavours', () => {
  it('answers /health, /readyz, /api/version and /api/tags', async () => {
    const mock = await startOpenAIMock({ flavor: 'ollama', models: ['llama3.2:latest'] });
    try {
      expect((await fetch(`${mock.url}/health`)).status).toBe(200);
      expect((await fetch(`${mock.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${mock.url}/api/version`)).json()).toHaveProperty('version');
      const tags = (await (await fetch(`${mock.url}/api/tags`)).json()) as {
        models: Array<{ name: string }>;
      };
      expect(tags.models.map((model) => model.name)).toEqual(['llama3.2:latest']);
      expect((await fetch(`${mock.url}/v1/unknown`)).status).toBe(404);
    } finally {
      await mock.close();
    }
  });
});
