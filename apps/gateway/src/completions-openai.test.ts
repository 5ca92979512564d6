// Legacy `POST /v1/completions` with the official OpenAI SDK: passed through to an
// OpenAI-compatible server that offers it (streamed or not), translated into one user message
// for a chat-only provider, and a 400 naming the field the translation cannot honour. Also
// `models.retrieve` for a route, a public model and an unknown or not-allowed id.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  type MockServer,
  type OpenAIMock,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-completions-test-key';
const NARROW_KEY = 'sk-sy-completions-narrow-key';
let vllm: OpenAIMock;
let openai: OpenAIMock;
let anthropic: MockServer;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  vllm = await startOpenAIMock({ flavor: 'vllm', models: ['Qwen/Qwen2.5-1.5B'] });
  anthropic = await startAnthropicMock({ apiKey: 'anthropic-key' });
  openai = await startOpenAIMock({ apiKey: 'openai-key' });
  gateway = await startTestGateway({
    providers: [
      {
        id: 'vllm',
        name: 'vLLM',
        type: 'vllm',
        endpoint: vllm.url,
        models: [{ name: 'qwen', id: 'Qwen/Qwen2.5-1.5B' }],
      },
      {
        id: 'openai',
        name: 'OpenAI',
        type: 'openai',
        endpoint: openai.url,
        apiKey: 'openai-key',
        models: [{ name: 'gpt-test' }, { name: 'gpt-3.5-turbo-instruct' }],
      },
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
        models: [{ name: 'claude', id: 'claude-haiku-4-5' }],
      },
    ],
    routes: [
      { name: 'legacy', targets: [{ provider: 'vllm', model: 'Qwen/Qwen2.5-1.5B' }] },
      { name: 'translated', targets: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }] },
    ],
    keys: [
      { name: 'app', key: KEY },
      { name: 'narrow', key: NARROW_KEY, allowedRoutes: ['legacy'] },
    ],
    retryAttempts: 0,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([vllm.close(), anthropic.close(), openai.close()]);
  await closeHttpAgent();
});

describe('legacy completions through the gateway', () => {
  it('passes a completion through to a server that offers it, model replaced', async () => {
    vllm.reset();
    const { data, response } = await client.completions
      .create({ model: 'legacy', prompt: 'Say hi', max_tokens: 5, echo: true, logprobs: 2 })
      .withResponse();
    expect(data.object).toBe('text_completion');
    expect(data.choices[0]?.text).toBe('Say hiEcho: Say hi');
    expect(data.choices[0]?.logprobs?.tokens?.length).toBeGreaterThan(0);
    expect(data.usage?.prompt_tokens).toBe(2);
    expect(response.headers.get('x-switchyard-provider')).toBe('vllm');
    const upstream = vllm.requests.at(-1);
    expect(upstream?.url).toBe('/v1/completions');
    expect(upstream?.body).toMatchObject({ model: 'Qwen/Qwen2.5-1.5B', echo: true, logprobs: 2 });
  });

  it('streams a passed-through completion frame by frame, usage when asked', async () => {
    const stream = await client.completions.create({
      model: 'legacy',
      prompt: 'stream me',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Echo: stream me');
    expect(finish).toBe('stop');
    expect(usage?.prompt_tokens).toBe(2);
    expect((vllm.requests.at(-1)?.body as { stream?: boolean }).stream).toBe(true);
  });

  it('translates for a chat-only provider: prompt as one user message, answer mapped back', async () => {
    anthropic.reset();
    const data = await client.completions.create({
      model: 'translated',
      prompt: 'hello claude',
      max_tokens: 50,
      echo: true,
    });
    expect(data.object).toBe('text_completion');
    expect(data.choices[0]?.text).toBe('hello claudeEcho: hello claude');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    const sent = anthropic.requests.at(-1)?.body as { messages: unknown[]; max_tokens: number };
    expect(sent.messages).toHaveLength(1);
    expect(sent.messages[0]).toMatchObject({ role: 'user' });
    expect(JSON.stringify(sent.messages[0])).toContain('hello claude');
    expect(sent.max_tokens).toBe(50);
  });

  it('streams a translated completion as text_completion chunks', async () => {
    const stream = await client.completions.create({
      model: 'translated',
      prompt: 'stream claude',
      stream: true,
    });
    let text = '';
    const objects = new Set<string>();
    for await (const chunk of stream) {
      objects.add(chunk.object);
      text += chunk.choices[0]?.text ?? '';
    }
    expect(text).toBe('Echo: stream claude');
    expect([...objects]).toEqual(['text_completion']);
  });

  it('refuses suffix, best_of and logprobs for a chat-only provider with a 400 naming the field', async () => {
    anthropic.reset();
    for (const [field, extra] of [
      ['suffix', { suffix: ' end' }],
      ['best_of', { best_of: 3 }],
      ['logprobs', { logprobs: 1 }],
    ] as const) {
      await expect(
        client.completions.create({ model: 'translated', prompt: 'x', ...extra }),
      ).rejects.toMatchObject({ status: 400, param: field });
    }
    expect(anthropic.requests).toHaveLength(0);
  });

  it('OpenAI: instruct models get /v1/completions, chat models are served through chat', async () => {
    openai.reset();
    const instruct = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'hi',
    });
    expect(instruct.choices[0]?.text).toBe('Echo: hi');
    expect(openai.requests.at(-1)?.url).toBe('/v1/completions');
    const chat = await client.completions.create({ model: 'gpt-test', prompt: 'hello' });
    expect(chat.object).toBe('text_completion');
    expect(chat.choices[0]?.text).toBe('Echo: hello');
    expect(openai.requests.at(-1)?.url).toBe('/v1/chat/completions');
    await expect(
      client.completions.create({ model: 'gpt-test', prompt: 'x', suffix: 'y' }),
    ).rejects.toMatchObject({ status: 400, param: 'suffix' });
    expect(openai.requests).toHaveLength(2);
  });

  it('a bad body is a 400 naming the field', async () => {
    await expect(
      client.completions.create({ model: 'legacy', prompt: 'x', max_tokens: -1 }),
    ).rejects.toMatchObject({ status: 400, param: 'max_tokens' });
  });
});

describe('models.retrieve', () => {
  it('a route and a public model name, in OpenAI shape', async () => {
    const route = await client.models.retrieve('legacy');
    expect(route).toMatchObject({ id: 'legacy', object: 'model', owned_by: 'switchyard' });
    expect(typeof route.created).toBe('number');
    const model = await client.models.retrieve('claude');
    expect(model.id).toBe('claude');
  });

  it('404 in the OpenAI envelope for an unknown id and for one the key may not use', async () => {
    const unknown = await client.models.retrieve('no-such-model').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' });
    const narrow = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: NARROW_KEY, maxRetries: 0 });
    await expect(narrow.models.retrieve('legacy')).resolves.toMatchObject({ id: 'legacy' });
    await expect(narrow.models.retrieve('translated')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
