// Fidelity of the mock's Responses API: the official `openai` SDK (and its AzureOpenAI client)
// parses every answer, and every object and stream event is valid against OpenAI's own schemas.
import { AzureOpenAI, InternalServerError, NotFoundError, OpenAI } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIMock, type OpenAIMock } from './openai-mock.ts';
import { sampleForSchema } from './openai-responses-mock.ts';
import { validateOpenAIResponses } from './openai-responses-schema.ts';

const API_KEY = 'sk-responses-fidelity';
const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: {
    type: 'object',
    properties: { input: { type: 'string' } },
    required: ['input'],
    additionalProperties: false,
  },
  strict: true,
};

function expectValid(
  schema: 'Response' | 'ResponseStreamEvent' | 'ResponseItemList',
  value: unknown,
) {
  const check = validateOpenAIResponses(schema, JSON.parse(JSON.stringify(value)));
  expect(check.errors).toBe('');
  expect(check.valid).toBe(true);
}

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('the Responses API of the OpenAI mock, through the openai SDK', () => {
  let mock: OpenAIMock;
  let client: OpenAI;

  beforeAll(async () => {
    mock = await startOpenAIMock({ apiKey: API_KEY, models: ['gpt-mock'] });
    client = new OpenAI({
      apiKey: API_KEY,
      baseURL: `${mock.url}/v1`,
      maxRetries: 0,
      timeout: 5_000,
    });
  });
  beforeEach(() => mock.reset());
  afterAll(() => mock.close());

  it('creates a text response valid against the Response schema', async () => {
    const response = await client.responses.create({
      model: 'gpt-mock',
      instructions: 'Be brief',
      input: 'hello there',
    });
    expect(response.output_text).toBe('Echo: hello there');
    expect(response.status).toBe('completed');
    expect(response.instructions).toBe('Be brief');
    expect(response.usage?.input_tokens).toBe(4);
    expect(response.usage?.output_tokens).toBe(3);
    expectValid('Response', response);
    expect(mock.requests[0]?.url).toBe('/v1/responses');
  });

  it('counts input tokens with responses.inputTokens.count as a created response counts them', async () => {
    const counted = await client.responses.inputTokens.count({
      model: 'gpt-mock',
      instructions: 'Be brief',
      input: 'hello there',
    });
    expect(counted).toEqual({ object: 'response.input_tokens', input_tokens: 4 });
    expect(mock.requests[0]?.url).toBe('/v1/responses/input_tokens');
    const created = await client.responses.create({ model: 'gpt-mock', input: 'one two three' });
    const followUp = await client.responses.inputTokens.count({
      model: 'gpt-mock',
      previous_response_id: created.id,
      input: 'four',
    });
    // The stored conversation counts: its input, its output ("Echo: one two three") and the new input.
    expect(followUp.input_tokens).toBe(3 + 4 + 1);
  });

  it('answers in text when a function tool is only offered', async () => {
    const response = await client.responses.create({
      model: 'gpt-mock',
      input: 'Paris',
      tools: [weatherTool],
    });
    expect(response.output_text).toBe('Echo: Paris');
    expect(response.output.map((item) => item.type)).toEqual(['message']);
  });

  it('calls the function tool the prompt names, then answers from its output', async () => {
    const first = await client.responses.create({
      model: 'gpt-mock',
      input: [{ role: 'user', content: 'Paris: get_weather' }],
      tools: [weatherTool],
    });
    const call = first.output[0];
    expect(call?.type).toBe('function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toEqual({ input: 'Paris: get_weather' });
    expectValid('Response', first);
    const second = await client.responses.create({
      model: 'gpt-mock',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
      tools: [weatherTool],
    });
    expect(second.output_text).toBe('Echo: sunny');
    expect(second.previous_response_id).toBe(first.id);
  });

  it('answers a json_schema format with JSON that fits the schema', async () => {
    const response = await client.responses.create({
      model: 'gpt-mock',
      input: 'a city',
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, population: { type: 'integer' } },
            required: ['name', 'population'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
    });
    expect(JSON.parse(response.output_text)).toEqual({ name: 'Echo: a city', population: 1 });
    expectValid('Response', response);
  });

  it('streams text events with sequence numbers, each valid against ResponseStreamEvent', async () => {
    const events = await collect(
      await client.responses.create({ model: 'gpt-mock', input: 'stream me please', stream: true }),
    );
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    for (const event of events) expectValid('ResponseStreamEvent', event);
    const deltas = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(deltas.join('')).toBe('Echo: stream me please');
  });

  it('streams a function call forced by tool_choice through the responses.stream helper', async () => {
    const stream = client.responses.stream({
      model: 'gpt-mock',
      input: 'Rome',
      tools: [weatherTool],
      tool_choice: 'required',
    });
    const events = await collect(stream);
    for (const event of events) expectValid('ResponseStreamEvent', event);
    expect(events.some((event) => event.type === 'response.function_call_arguments.delta')).toBe(
      true,
    );
    const final = await stream.finalResponse();
    const call = final.output[0];
    expect(call?.type === 'function_call' ? JSON.parse(call.arguments) : undefined).toEqual({
      input: 'Rome',
    });
  });

  it('retrieves, lists the input items of, and deletes a stored response', async () => {
    const created = await client.responses.create({ model: 'gpt-mock', input: 'keep me' });
    const retrieved = await client.responses.retrieve(created.id);
    expect(retrieved.output_text).toBe('Echo: keep me');
    expectValid('Response', retrieved);
    const items = await client.responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expectValid(
      'ResponseItemList',
      await (await client.responses.inputItems.list(created.id).asResponse()).json(),
    );
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps nothing with store: false', async () => {
    const created = await client.responses.create({
      model: 'gpt-mock',
      input: 'forget me',
      store: false,
    });
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      client.responses.create({
        model: 'gpt-mock',
        input: 'again',
        previous_response_id: created.id,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('ends a stream that fails midway with response.failed, and cuts one on cut-stream', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await collect(
      await client.responses.create({ model: 'gpt-mock', input: 'a b c d', stream: true }),
    );
    expect(events.at(-1)?.type).toBe('response.failed');
    expect(events.some((event) => event.type === 'response.completed')).toBe(false);
    for (const event of events) expectValid('ResponseStreamEvent', event);
    mock.failNext({ kind: 'cut-stream', afterChunks: 1 });
    const cut = await client.responses.create({
      model: 'gpt-mock',
      input: 'a b c d',
      stream: true,
    });
    await expect(collect(cut)).rejects.toThrow();
  });

  it('answers errors in the OpenAI shape', async () => {
    mock.failNext({ kind: 'server-error' });
    await expect(client.responses.create({ model: 'gpt-mock', input: 'x' })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    await expect(client.responses.create({ model: 'nope', input: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const missing = await fetch(`${mock.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-mock' }),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe('input');
    await expect(
      client.responses.create({
        model: 'gpt-mock',
        input: 'x',
        previous_response_id: 'resp_unknown',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the Responses API of the Azure flavour', () => {
  let mock: OpenAIMock;

  beforeAll(async () => {
    mock = await startOpenAIMock({ apiKey: API_KEY, flavor: 'azure', models: ['my-deployment'] });
  });
  afterAll(() => mock.close());

  it('serves /openai/v1/responses with api-key auth to the AzureOpenAI client', async () => {
    const client = new AzureOpenAI({
      apiKey: API_KEY,
      baseURL: `${mock.url}/openai/v1`,
      apiVersion: 'preview',
      maxRetries: 0,
    });
    const response = await client.responses.create({
      model: 'my-deployment',
      input: 'azure hello',
    });
    expect(response.output_text).toBe('Echo: azure hello');
    expect(mock.requests.at(-1)?.url.startsWith('/openai/v1/responses')).toBe(true);
    expect(mock.requests.at(-1)?.headers['api-key']).toBe(API_KEY);
    expectValid('Response', response);
  });
});

describe('sampleForSchema', () => {
  it('fills every property of a nested schema', () => {
    expect(
      sampleForSchema(
        {
          type: 'object',
          properties: {
            tags: { type: 'array', items: { type: 'string' } },
            kind: { enum: ['a', 'b'] },
            ok: { type: 'boolean' },
          },
        },
        't',
      ),
    ).toEqual({ tags: ['t'], kind: 'a', ok: true });
  });
});
