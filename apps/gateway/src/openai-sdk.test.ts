// The official OpenAI SDK as a client of the gateway, with the testkit's mock vendors behind it.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startOpenAIMock, validateOpenAI, type OpenAIMock } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-openai-sdk-test-key';
const LIMITED_KEY = 'sk-sy-limited-test-key-01';
let first: OpenAIMock;
let second: OpenAIMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  first = await startOpenAIMock({ apiKey: 'vendor-key-1' });
  second = await startOpenAIMock({ apiKey: 'vendor-key-2' });
  gateway = await startTestGateway({
    providers: [
      {
        id: 'first',
        name: 'First',
        type: 'openai',
        endpoint: first.url,
        apiKey: 'vendor-key-1',
        priority: 1,
        models: [{ name: 'gpt-test', inputPricePerMTok: 1, outputPricePerMTok: 2 }],
      },
      {
        id: 'second',
        name: 'Second',
        type: 'openai',
        endpoint: second.url,
        apiKey: 'vendor-key-2',
        priority: 2,
        models: [{ name: 'gpt-test' }],
      },
    ],
    routes: [
      {
        name: 'chat',
        targets: [
          { provider: 'first', model: 'gpt-test' },
          { provider: 'second', model: 'gpt-test' },
        ],
      },
    ],
    keys: [
      { name: 'app', key: KEY },
      { name: 'limited', key: LIMITED_KEY, limits: { requestsPerMinute: 1 } },
    ],
    retryAttempts: 0,
    circuitBreaker: { consecutiveFailures: 2, cooldownMs: 30_000 },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([first.close(), second.close()]);
  await closeHttpAgent();
});

function resetMocks(): void {
  first.reset();
  second.reset();
}

describe('the official OpenAI SDK against the gateway', () => {
  it('non-stream completion, valid against the OpenAI schema', async () => {
    resetMocks();
    const { data, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'hello there' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Echo: hello there');
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('first');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const check = validateOpenAI('CreateChatCompletionResponse', JSON.parse(JSON.stringify(data)));
    expect(check.errors).toBe('');
    expect(check.valid).toBe(true);
  });

  it('stream with include_usage, every chunk valid, usage last', async () => {
    resetMocks();
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'stream me please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const chunks: unknown[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
      const check = validateOpenAI(
        'CreateChatCompletionStreamResponse',
        JSON.parse(JSON.stringify(chunk)),
      );
      expect(check.errors).toBe('');
    }
    expect(text).toBe('Echo: stream me please');
    const last = chunks.at(-1) as { usage?: { total_tokens: number }; choices: unknown[] };
    expect(last.usage?.total_tokens).toBeGreaterThan(0);
    expect(last.choices).toEqual([]);
  });

  it('tools: the model calls the offered function the prompt names', async () => {
    resetMocks();
    const data = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'weather in Paris: get_weather' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { input: { type: 'string' } } },
          },
        },
      ],
    });
    const call = data.choices[0]?.message.tool_calls?.[0];
    expect(data.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' ? call.function.name : undefined).toBe('get_weather');
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual({
      input: 'weather in Paris: get_weather',
    });
  });

  it('models.list names routes and public model names', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['chat', 'gpt-test']);
  });

  it('a bad key is an AuthenticationError', async () => {
    const bad = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'sk-sy-not-a-real-key',
      maxRetries: 0,
    });
    await expect(
      bad.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('a key over its limit is a RateLimitError with retry-after', async () => {
    const limited = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: LIMITED_KEY,
      maxRetries: 0,
    });
    await limited.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'x' }],
    });
    const error = await limited.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(
      Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')),
    ).toBeGreaterThan(0);
  });

  it('an upstream 500 on the first provider is answered by the second', async () => {
    resetMocks();
    first.failNext({ kind: 'server-error' });
    const { data, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'fallback please' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Echo: fallback please');
    expect(response.headers.get('x-switchyard-provider')).toBe('second');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('an invalid body is a BadRequestError naming the field', async () => {
    const error = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], temperature: 9 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
    expect((error as Error).message).toContain('temperature');
  });

  it('every provider down: 502 naming them, then 503 no_healthy_providers with retry-after once circuits open', async () => {
    resetMocks();
    first.setFault({ kind: 'server-error', status: 503 });
    second.setFault({ kind: 'server-error', status: 503 });
    try {
      const failed = await client.chat.completions
        .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
        .catch((caught: unknown) => caught);
      expect(failed).toBeInstanceOf(OpenAI.APIError);
      expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect((failed as Error).message).toMatch(/first .*second/);
      await client.chat.completions
        .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
        .catch(() => undefined);
      const unavailable = (await client.chat.completions
        .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
        .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
      expect(unavailable.status).toBe(503);
      expect(unavailable.code).toBe('no_healthy_providers');
      expect(Number(unavailable.headers?.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      first.setFault(null);
      second.setFault(null);
      gateway.runtime.gateway.circuits.reset();
    }
  });
});
