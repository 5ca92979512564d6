// The official Anthropic SDK against the gateway's Messages API, translated to vendors that do not
// speak it (OpenAI, Gemini, Cohere, LM Studio mocks): answers, tools, images, system blocks,
// thinking, streams as the SDK parses them, and errors as the SDK's typed errors.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startCohereMock,
  startGeminiMock,
  startOpenAIMock,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-messages-test-key-01';
const LIMITED_KEY = 'sk-sy-messages-limited-key';
const PIXEL =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let openai: MockServer;
let lmstudio: MockServer;
let gemini: MockServer;
let cohere: MockServer;
let overloaded: MockServer;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  [openai, lmstudio, gemini, cohere, overloaded] = await Promise.all([
    startOpenAIMock({ apiKey: 'oa-key' }),
    startOpenAIMock({ flavor: 'lmstudio' }),
    startGeminiMock({ apiKey: 'gm-key' }),
    startCohereMock({ apiKey: 'co-key' }),
    startOpenAIMock({ apiKey: 'oa-key' }),
  ]);
  overloaded.setFault({ kind: 'overloaded' });
  gateway = await startTestGateway({
    providers: [
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'oa-key' },
      { id: 'lmstudio', name: 'LM Studio', type: 'lmstudio', endpoint: lmstudio.url },
      { id: 'gemini', name: 'Gemini', type: 'gemini', endpoint: gemini.url, apiKey: 'gm-key' },
      { id: 'cohere', name: 'Cohere', type: 'cohere', endpoint: cohere.url, apiKey: 'co-key' },
      { id: 'busy', name: 'Busy', type: 'openai', endpoint: overloaded.url, apiKey: 'oa-key' },
    ],
    routes: [
      { name: 'to-openai', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] },
      { name: 'to-lmstudio', targets: [{ provider: 'lmstudio', model: 'qwen2.5-7b-instruct' }] },
      { name: 'to-gemini', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
      { name: 'to-cohere', targets: [{ provider: 'cohere', model: 'command-a-03-2025' }] },
      { name: 'busy', targets: [{ provider: 'busy', model: 'gpt-4o-mini' }] },
      {
        name: 'small',
        maxTokens: 100,
        targets: [{ provider: 'openai', model: 'gpt-4o-mini' }],
      },
    ],
    keys: [
      { name: 'app', key: KEY },
      { name: 'limited', key: LIMITED_KEY, limits: { requestsPerMinute: 1 } },
    ],
    retryAttempts: 0,
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([openai, lmstudio, gemini, cohere, overloaded].map((mock) => mock.close()));
  await closeHttpAgent();
});

const ROUTES = ['to-openai', 'to-lmstudio', 'to-gemini', 'to-cohere'] as const;

function mockOf(route: (typeof ROUTES)[number]): MockServer {
  return { 'to-openai': openai, 'to-lmstudio': lmstudio, 'to-gemini': gemini, 'to-cohere': cohere }[
    route
  ];
}
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

describe.each(ROUTES)('messages.create translated (%s)', (route) => {
  it('answers text with system blocks, and usage', async () => {
    const { data, response } = await client.messages
      .create({
        model: route,
        max_tokens: 64,
        system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'hello there' }],
      })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.content).toEqual([{ type: 'text', text: 'Echo: hello there' }]);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe(route.slice(3));
  });

  it('calls a tool and reads the tool_result back', async () => {
    const first = await client.messages.create({
      model: route,
      max_tokens: 64,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'weather in Paris' }],
    });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    if (call?.type !== 'tool_use') throw new Error('expected a tool_use block');
    expect(call.name).toBe('get_weather');
    expect(call.input).toEqual({ input: 'weather in Paris' });
    const second = await client.messages.create({
      model: route,
      max_tokens: 64,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'none' },
      messages: [
        { role: 'user', content: 'weather in Paris' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 21C' }],
        },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content[0]?.type).toBe('text');
    // the vendor saw the tool call and its result in its own shape
    const sent = mockOf(route).requests.at(-1)?.rawBody ?? '';
    expect(sent).toContain('sunny, 21C');
    expect(sent).toContain('get_weather');
  });

  it('takes an image block', async () => {
    const message = await client.messages.create({
      model: route,
      max_tokens: 64,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } },
            { type: 'text', text: 'what is this' },
          ],
        },
      ],
    });
    expect(message.content[0]).toEqual({ type: 'text', text: 'Echo: what is this' });
  });

  it('streams events as the SDK parses them', async () => {
    const stream = client.messages.stream({
      model: route,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'stream this please' }],
    });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text;
    }
    const final = await stream.finalMessage();
    expect(text).toBe('Echo: stream this please');
    expect(types[0]).toBe('message_start');
    expect(types).toContain('content_block_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(final.content).toEqual([{ type: 'text', text: 'Echo: stream this please' }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams a tool call as input_json_delta', async () => {
    const stream = client.messages.stream({
      model: route,
      max_tokens: 64,
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'weather in Rome, by get_weather' }],
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    const call = final.content.find((block) => block.type === 'tool_use');
    expect(call).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    expect(call?.type === 'tool_use' ? call.input : undefined).toEqual({
      input: 'weather in Rome, by get_weather',
    });
  });
});

const SAMPLING: Record<string, number> = { temperature: 0.5, top_p: 0.9, top_k: 40 };

describe('the request as the vendor receives it', () => {
  it('maps system, sampling, stop sequences, metadata and thinking onto the chat request', async () => {
    openai.reset();
    const { response } = await client.messages
      .create({
        model: 'to-openai',
        max_tokens: 64,
        system: 'Be brief.',
        // sampling fields the SDK's types no longer list; the API still takes them
        ...SAMPLING,
        stop_sequences: ['END'],
        metadata: { user_id: 'user-42' },
        thinking: { type: 'enabled', budget_tokens: 10_000 },
        messages: [{ role: 'user', content: 'hi' }],
      })
      .withResponse();
    const sent = openai.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'gpt-4o-mini',
      max_tokens: 64,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop: ['END'],
      user: 'user-42',
      reasoning_effort: 'high',
    });
    expect(response.headers.get('x-switchyard-thinking')).toBe('reasoning_effort=high');
  });

  it("clamps max_tokens to the route's limit and says so", async () => {
    openai.reset();
    const { data, response } = await client.messages
      .create(
        { model: 'small', max_tokens: 32_000, messages: [{ role: 'user', content: 'hi' }] },
        { timeout: 10_000 },
      )
      .withResponse();
    expect(data.content[0]).toEqual({ type: 'text', text: 'Echo: hi' });
    expect((openai.requests.at(-1)?.body as { max_tokens: number }).max_tokens).toBe(100);
    expect(response.headers.get('x-switchyard-max-tokens')).toBe('clamped from 32000 to 100');
  });
});

describe('count_tokens without a native target', () => {
  it('is the gateway estimate, marked as one', async () => {
    const { data, response } = await client.messages
      .countTokens({
        model: 'to-openai',
        system: 'x'.repeat(40),
        messages: [{ role: 'user', content: 'y'.repeat(80) }],
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-token-count')).toBe('estimate');
    // about four characters a token, with a small allowance per message
    expect(data.input_tokens).toBeGreaterThanOrEqual(30);
    expect(data.input_tokens).toBeLessThan(40);
  });
});

describe('errors as the SDK typed errors', () => {
  it('a bad key is an AuthenticationError', async () => {
    const stranger = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-wrong', maxRetries: 0 });
    const error: unknown = await stranger.messages
      .create({ model: 'to-openai', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
  });

  it('the bearer form of the key works too', async () => {
    const bearer = new Anthropic({ baseURL: gateway.url, authToken: KEY, maxRetries: 0 });
    const message = await bearer.messages.create({
      model: 'to-openai',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'bearer' }],
    });
    expect(message.content[0]).toEqual({ type: 'text', text: 'Echo: bearer' });
  });

  it('a key over its limit is a RateLimitError', async () => {
    const limited = new Anthropic({ baseURL: gateway.url, apiKey: LIMITED_KEY, maxRetries: 0 });
    const ask = () =>
      limited.messages.create({
        model: 'to-openai',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
      });
    await ask();
    await expect(ask()).rejects.toBeInstanceOf(Anthropic.RateLimitError);
  });

  it('every provider overloaded is a 529 overloaded_error', async () => {
    const error: unknown = await client.messages
      .create({ model: 'busy', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(529);
    expect(apiError.error).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('a bad field is a BadRequestError naming it', async () => {
    const error: unknown = await client.messages
      .create({
        model: 'to-openai',
        max_tokens: 8,
        messages: [{ role: 'user', content: [{ type: 'text' } as never] }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain('messages.0.content.0.text');
  });
});
