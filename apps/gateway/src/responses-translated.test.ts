// The official OpenAI SDK's Responses API against the gateway, translated onto providers that do
// not speak it (LM Studio, Anthropic, Bedrock, Gemini, Cohere mocks): answers and every stream
// event valid against OpenAI's schemas, tool round trips, structured output, follow-ups through
// the gateway's store (also after a failover), and the Responses error envelope.
import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import { request as httpRequest } from 'node:http';
import { zodTextFormat } from 'openai/helpers/zod';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startBedrockMock,
  startCohereMock,
  startGeminiMock,
  startOpenAIMock,
  validateOpenAIResponses,
  type MockServer,
  type OpenAIResponsesSchemaName,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-responses-test-key';
const OTHER_KEY = 'sk-sy-responses-other-key';
const VENDORS = ['lmstudio', 'anthropic', 'bedrock', 'gemini', 'cohere'] as const;
type Vendor = (typeof VENDORS)[number];

let mocks: Record<Vendor, MockServer>;
let gateway: TestGateway;
let client: OpenAI;

const MODELS: Record<Vendor, string> = {
  lmstudio: 'qwen-local',
  anthropic: 'claude-sonnet-4-5',
  bedrock: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  gemini: 'gemini-2.5-flash',
  cohere: 'command-a-03-2025',
};

beforeAll(async () => {
  const [lmstudio, anthropic, bedrock, gemini, cohere] = await Promise.all([
    startOpenAIMock({ flavor: 'lmstudio' }),
    startAnthropicMock({ apiKey: 'anthropic-key' }),
    startBedrockMock({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' }),
    startGeminiMock({ apiKey: 'gemini-key' }),
    startCohereMock({ apiKey: 'cohere-key' }),
  ]);
  mocks = { lmstudio, anthropic, bedrock, gemini, cohere };
  gateway = await startTestGateway({
    providers: [
      { id: 'lmstudio', name: 'LM Studio', type: 'lmstudio', endpoint: lmstudio.url },
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
      {
        id: 'bedrock',
        name: 'Bedrock',
        type: 'bedrock',
        endpoint: bedrock.url,
        apiKey: 'AKIDTEST',
        config: { region: 'us-east-1', secretKey: 'secret' },
      },
      { id: 'gemini', name: 'Gemini', type: 'gemini', endpoint: gemini.url, apiKey: 'gemini-key' },
      { id: 'cohere', name: 'Cohere', type: 'cohere', endpoint: cohere.url, apiKey: 'cohere-key' },
    ],
    routes: [
      ...VENDORS.map((vendor) => ({
        name: vendor,
        targets: [{ provider: vendor, model: MODELS[vendor] }],
      })),
      {
        name: 'failover',
        targets: [
          { provider: 'gemini', model: MODELS.gemini },
          { provider: 'anthropic', model: MODELS.anthropic },
        ],
      },
    ],
    keys: [
      { name: 'app', key: KEY },
      { name: 'other', key: OTHER_KEY },
    ],
    retryAttempts: 0,
  });
  client = new OpenAI({
    baseURL: `${gateway.url}/v1`,
    apiKey: KEY,
    maxRetries: 0,
    timeout: 10_000,
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  await closeHttpAgent();
});

beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.reset();
});

function expectValid(schema: OpenAIResponsesSchemaName, value: unknown): void {
  const check = validateOpenAIResponses(schema, JSON.parse(JSON.stringify(value)));
  expect(check.errors).toBe('');
}

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: {
    type: 'object',
    properties: { input: { type: 'string' } },
    required: ['input'],
    additionalProperties: false,
  },
  strict: false,
};

describe.each(VENDORS)('responses.create translated onto %s', (vendor) => {
  it('answers text, valid against the Response schema', async () => {
    const { data, response } = await client.responses
      .create({ model: vendor, instructions: 'Be brief', input: 'hello there' })
      .withResponse();
    expect(data.output_text).toBe('Echo: hello there');
    expect(data.status).toBe('completed');
    expect(data.usage?.output_tokens).toBeGreaterThan(0);
    expect(data.id).toMatch(/^resp_/);
    expect(response.headers.get('x-switchyard-provider')).toBe(vendor);
    expectValid('Response', data);
  });

  it('streams schema-valid events in order, ending with response.completed', async () => {
    const events = await collect(
      await client.responses.create({ model: vendor, input: 'stream this text', stream: true }),
    );
    for (const event of events) expectValid('ResponseStreamEvent', event);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const text = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(text.join('')).toBe('Echo: stream this text');
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('expected response.completed');
    expect(JSON.stringify(completed.response.output)).toContain('"text":"Echo: stream this text"');
  });

  it('round-trips a function call: call_id kept, the tool output reaches the vendor', async () => {
    const first = await client.responses.create({
      model: vendor,
      input: 'Paris: get_weather',
      tools: [weatherTool],
    });
    expectValid('Response', first);
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toEqual({ input: 'Paris: get_weather' });
    const second = await client.responses.create({
      model: vendor,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny and 21C' }],
      tools: [weatherTool],
    });
    expectValid('Response', second);
    const sent = mocks[vendor].requests.at(-1)?.rawBody ?? '';
    expect(sent).toContain('sunny and 21C');
    // Gemini's calls have no ids: there the id lives only between the gateway and the client.
    if (vendor !== 'gemini') expect(sent).toContain(call.call_id);
    expect(sent).toContain('Paris');
  });

  it('streams a function call with argument deltas', async () => {
    const stream = client.responses.stream({
      model: vendor,
      input: 'Rome: get_weather',
      tools: [weatherTool],
    });
    const events = await collect(stream);
    for (const event of events) expectValid('ResponseStreamEvent', event);
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({
      input: 'Rome: get_weather',
    });
    expect(events.some((event) => event.type === 'response.function_call_arguments.done')).toBe(
      true,
    );
  });
});

describe('state through the gateway store', () => {
  it('follows up with previous_response_id on a translated provider', async () => {
    const first = await client.responses.create({ model: 'anthropic', input: 'my name is Ada' });
    const second = await client.responses.create({
      model: 'anthropic',
      previous_response_id: first.id,
      input: 'what is my name?',
    });
    expect(second.output_text).toBe('Echo: what is my name?');
    const sent = mocks.anthropic.requests.at(-1)?.body as { messages: Array<{ role: string }> };
    expect(sent.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(sent.messages)).toContain('Echo: my name is Ada');
  });

  it('follows up after a failover between providers', async () => {
    const first = await client.responses.create({ model: 'failover', input: 'remember blue' });
    expect(mocks.gemini.requests).toHaveLength(1);
    mocks.gemini.failNext({ kind: 'server-error', status: 503 });
    const { data: second, response } = await client.responses
      .create({ model: 'failover', previous_response_id: first.id, input: 'which colour?' })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('anthropic');
    expect(second.output_text).toBe('Echo: which colour?');
    expect(JSON.stringify(mocks.anthropic.requests.at(-1)?.body)).toContain('remember blue');
  });

  it('retrieves, lists input items, and deletes; another key sees nothing', async () => {
    const created = await client.responses.create({ model: 'gemini', input: 'keep this' });
    const retrieved = await client.responses.retrieve(created.id);
    expect(retrieved.output_text).toBe('Echo: keep this');
    expectValid('Response', retrieved);
    const items = await client.responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expectValid(
      'ResponseItemList',
      await (await client.responses.inputItems.list(created.id).asResponse()).json(),
    );
    const other = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: OTHER_KEY, maxRetries: 0 });
    await expect(other.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      other.responses.create({ model: 'gemini', previous_response_id: created.id, input: 'x' }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps nothing with store: false', async () => {
    const created = await client.responses.create({
      model: 'gemini',
      input: 'forget this',
      store: false,
    });
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stores a streamed response once it completed', async () => {
    const stream = client.responses.stream({ model: 'cohere', input: 'streamed and kept' });
    const final = await stream.finalResponse();
    const retrieved = await client.responses.retrieve(final.id);
    expect(retrieved.output_text).toBe('Echo: streamed and kept');
  });
});

describe('structured output, options and errors', () => {
  it('parses json_schema output with zod through responses.parse', async () => {
    mocks.gemini.behaviour.reply = '{"input":"a city"}';
    const parsed = await client.responses.parse({
      model: 'gemini',
      input: 'a city',
      text: { format: zodTextFormat(z.object({ input: z.string() }), 'city') },
    });
    const sent = JSON.stringify(mocks.gemini.requests.at(-1)?.body);
    expect(sent).toContain('responseJsonSchema');
    expect(parsed.output_parsed).toEqual({ input: 'a city' });
  });

  it('sends max_output_tokens and temperature as the vendor names them', async () => {
    await client.responses.create({
      model: 'anthropic',
      input: 'short',
      max_output_tokens: 77,
      temperature: 0.5,
    });
    const sent = mocks.anthropic.requests.at(-1)?.body as {
      max_tokens: number;
      temperature: number;
    };
    expect(sent.max_tokens).toBe(77);
    expect(sent.temperature).toBe(0.5);
  });

  it('refuses an invalid field with a 400 naming the Responses field', async () => {
    const answer = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'anthropic', input: [{ role: 'user', content: 5 }] }),
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as {
      error: { param: string; type: string; message: string };
    };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.param).toBe('input[0].content');
  });

  it('refuses a built-in tool on a translated route, naming it', async () => {
    const error: unknown = await client.responses
      .create({ model: 'anthropic', input: 'search', tools: [{ type: 'web_search_preview' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('tools[0].type');
    expect((error as BadRequestError).message).toContain('web_search_preview');
  });

  it('answers an upstream refusal as chat does (status, Retry-After), in the Responses envelope', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // The responses request first: the rate limit then keeps the provider out for 3 s.
    mocks.lmstudio.failNext({ kind: 'rate-limited', retryAfterMs: 3000 });
    const answer = await post('/v1/responses', { model: 'lmstudio', input: 'x' });
    mocks.cohere.failNext({ kind: 'rate-limited', retryAfterMs: 3000 });
    const chat = await post('/v1/chat/completions', {
      model: 'cohere',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(answer.status).toBe(chat.status);
    expect(answer.headers.get('retry-after')).toBe('3');
    expect(answer.headers.get('retry-after')).toBe(chat.headers.get('retry-after'));
    const body = (await answer.json()) as { error: Record<string, unknown> };
    const chatBody = (await chat.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect([body.error.type, body.error.code]).toEqual([chatBody.error.type, chatBody.error.code]);
  });

  it('refuses the WebSocket upgrade at once with 426', async () => {
    const started = Date.now();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = httpRequest(`${gateway.url}/v1/responses`, {
        headers: {
          authorization: `Bearer ${KEY}`,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'openai-beta': 'responses_websockets=2026-02-06',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
        timeout: 2000,
      });
      outgoing.on('upgrade', () => reject(new Error('the upgrade was accepted')));
      outgoing.on('response', (incoming) => {
        let body = '';
        incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(answer.status).toBe(426);
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBe(
      'websocket_not_supported',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
