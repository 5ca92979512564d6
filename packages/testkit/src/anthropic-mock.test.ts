// Fidelity: Anthropic's official SDK, pointed at the mock, parses its answers and errors.
import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicMock, type AnthropicMock } from './anthropic-mock.ts';

const API_KEY = 'sk-ant-test-key';
let mock: AnthropicMock;
let client: Anthropic;

beforeAll(async () => {
  mock = await startAnthropicMock({ apiKey: API_KEY });
  client = new Anthropic({ apiKey: API_KEY, baseURL: mock.url, maxRetries: 0, timeout: 5_000 });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

describe('Anthropic mock, read by @anthropic-ai/sdk', () => {
  it('answers messages.create with a typed Message', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(message.type).toBe('message');
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: hello there' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBe(4);
    expect(message.usage.output_tokens).toBe(3);
    expect(mock.requests[0]?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('streams events the SDK assembles into the final message', async () => {
    mock.behaviour = { streamChunks: 3 };
    const stream = client.messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'stream me' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas).toHaveLength(3);
    expect(deltas.join('')).toBe('Echo: stream me');
    expect(message.content).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Echo: stream me' });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(3);
  });

  it('answers with a tool_use block, plain and streamed', async () => {
    const request = {
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      tools: [weatherTool],
      tool_choice: { type: 'tool' as const, name: 'get_weather' },
      messages: [{ role: 'user' as const, content: 'Oslo' }],
    };
    const message = await client.messages.create(request);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { input: 'Oslo' },
    });

    const streamed = await client.messages.stream(request).finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { input: 'Oslo' },
    });
  });

  it('answers in text once the last turn carries a tool_result, unless a tool is forced', async () => {
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'weather in Oslo?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }],
      },
    ];
    const answered = await client.messages.create({
      model: 'm',
      max_tokens: 64,
      tools: [weatherTool],
      messages,
    });
    expect(answered.stop_reason).toBe('end_turn');
    expect(answered.content).toEqual([{ type: 'text', text: 'Echo: weather in Oslo?' }]);
    const forced = await client.messages.create({
      model: 'm',
      max_tokens: 64,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages,
    });
    expect(forced.stop_reason).toBe('tool_use');
  });

  it('calls a tool only when the prompt names it, not when a system reminder does', async () => {
    const ask = (content: Anthropic.ContentBlockParam[]) =>
      client.messages.create({
        model: 'm',
        max_tokens: 64,
        tools: [weatherTool],
        messages: [{ role: 'user', content }],
      });
    const reminder = {
      type: 'text' as const,
      text: '<system-reminder>\nUse get_weather for forecasts.\n</system-reminder>',
    };
    const offered = await ask([reminder, { type: 'text', text: 'Say hello' }]);
    expect(offered.stop_reason).toBe('end_turn');
    expect(offered.content).toEqual([{ type: 'text', text: `Echo: ${reminder.text}Say hello` }]);
    const named = await ask([reminder, { type: 'text', text: 'Oslo, with get_weather' }]);
    expect(named.stop_reason).toBe('tool_use');
    expect(named.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather' });
  });

  it('streams raw events with create({ stream: true }) in the documented order', async () => {
    const stream = await client.messages.create({
      model: 'm',
      max_tokens: 8,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types).toContain('content_block_delta');
  });

  it('lists models', async () => {
    const page = await client.models.list({ limit: 2 });
    expect(page.data.map((model) => model.id)).toEqual(['claude-sonnet-4-5', 'claude-haiku-4-5']);
    expect(page.has_more).toBe(true);
  });

  it('maps errors to the SDK error classes', async () => {
    const call = () =>
      client.messages.create({
        model: 'm',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
      });

    const wrongKey = new Anthropic({ apiKey: 'wrong', baseURL: mock.url, maxRetries: 0 });
    await expect(
      wrongKey.messages.create({
        model: 'm',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(AuthenticationError);

    mock.failNext({ kind: 'rate-limited', retryAfterMs: 3000 });
    const rateLimited = await call().catch((error: unknown) => error);
    expect(rateLimited).toBeInstanceOf(RateLimitError);
    expect((rateLimited as RateLimitError).headers.get('retry-after')).toBe('3');
    expect((rateLimited as RateLimitError).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });

    mock.failNext({ kind: 'server-error' });
    await expect(call()).rejects.toBeInstanceOf(InternalServerError);

    mock.failNext({ kind: 'overloaded' });
    const overloaded = await call().catch((error: unknown) => error);
    expect(overloaded).toBeInstanceOf(APIError);
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect((overloaded as APIError).status).toBe(529);

    mock.failNext({ kind: 'context-length' });
    const tooLong = await call().catch((error: unknown) => error);
    expect(tooLong).toBeInstanceOf(BadRequestError);
    expect((tooLong as BadRequestError).message).toContain('prompt is too long');
  });

  it('delivers an in-stream error event as an SDK error', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const stream = await client.messages.create({
      model: 'm',
      max_tokens: 8,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const consume = async () => {
      for await (const _event of stream) {
        // reading until the error
      }
    };
    await expect(consume()).rejects.toMatchObject({
      error: { type: 'error', error: { type: 'overloaded_error' } },
    });
  });

  it('thinks with a signed thinking block when asked, streamed and not', async () => {
    const params = {
      model: 'm',
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      messages: [{ role: 'user' as const, content: 'ponder' }],
    };
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({
      type: 'thinking',
      thinking: 'Thinking about: ponder',
      signature: expect.stringMatching(/^sig_mock/) as unknown,
    });
    expect(message.content[1]).toEqual({ type: 'text', text: 'Echo: ponder' });
    const stream = client.messages.stream(params);
    let thought = '';
    stream.on('thinking', (delta) => (thought += delta));
    const final = await stream.finalMessage();
    expect(thought).toBe('Thinking about: ponder');
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: thought });
    expect(final.content[1]).toMatchObject({ type: 'text', text: 'Echo: ponder' });
  });

  it('records the bytes it sent, and counts tokens', async () => {
    const message = await client.messages.create({
      model: 'm',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'count me' }],
    });
    expect(JSON.parse(mock.sent[0] ?? '')).toEqual(JSON.parse(JSON.stringify(message)));
    const counted = await client.messages.countTokens({
      model: 'm',
      system: 'be kind',
      messages: [{ role: 'user', content: 'three words here' }],
    });
    expect(counted.input_tokens).toBe(5);
    expect(mock.sent).toHaveLength(1);
  });
});
