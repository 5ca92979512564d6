import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCohereMock } from './cohere-mock.ts';
import {
  cohereSchemaProvenance,
  validateCohere,
  validateCohereStreamEvent,
} from './cohere-schema.ts';
import type { MockServer } from './mock-server.ts';

const API_KEY = 'co-test-key';
let mock: MockServer;

beforeAll(async () => {
  mock = await startCohereMock({ apiKey: API_KEY });
});

afterEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

function chat(body: Record<string, unknown>, key = API_KEY): Promise<Response> {
  return fetch(`${mock.url}/v2/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hello Cohere' }],
      ...body,
    }),
  });
}

async function streamedEvents(
  response: Response,
): Promise<Array<{ event: string | undefined; json: { type?: string } }>> {
  // A plain reading of the SSE framing, independent of the adapters' parser.
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      return { event, json: JSON.parse(data) as { type?: string } };
    });
}

function expectValid(result: { valid: boolean; errors: string }): void {
  expect(result.errors).toBe('');
  expect(result.valid).toBe(true);
}

const tools = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
];
const WEATHER_QUESTION = 'Weather in Paris? Use get_weather';
const weatherQuestion = { messages: [{ role: 'user', content: WEATHER_QUESTION }] };

describe('Cohere mock against the official OpenAPI schemas', () => {
  it('records where the schemas came from', () => {
    expect(cohereSchemaProvenance.sha256).toBe(
      'e5ae7eef854be23e4cd3177a6356b3482b08bd7b011f6156b85b83647ab69e74',
    );
  });

  it('answers a chat with a valid ChatResponseV2', async () => {
    const response = await chat({});
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      message: { content: Array<{ text: string }> };
      finish_reason: string;
      usage: unknown;
    };
    expectValid(validateCohere('ChatResponseV2', body));
    expect(body.message.content[0]?.text).toBe('Echo: Hello Cohere');
    expect(body.finish_reason).toBe('COMPLETE');
    expect(body.usage).toMatchObject({ tokens: { input_tokens: 2, output_tokens: 3 } });
  });

  it('answers tools with a valid TOOL_CALL response', async () => {
    const body = (await (await chat({ ...weatherQuestion, tools })).json()) as {
      message: { tool_calls: Array<{ id: string }> };
      finish_reason: string;
    };
    expectValid(validateCohere('ChatResponseV2', body));
    expect(body.finish_reason).toBe('TOOL_CALL');
    expect(body.message.tool_calls).toHaveLength(1);
    expect(body.message.tool_calls[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: JSON.stringify({ input: WEATHER_QUESTION }) },
    });
    expect(body.message.tool_calls[0]?.id).toMatch(/^get_weather_/);
  });

  it('calls a tool only when the prompt names it or tool_choice is REQUIRED', async () => {
    const offered = (await (await chat({ tools })).json()) as { finish_reason: string };
    expect(offered.finish_reason).toBe('COMPLETE');
    const required = (await (await chat({ tools, tool_choice: 'REQUIRED' })).json()) as {
      finish_reason: string;
    };
    expect(required.finish_reason).toBe('TOOL_CALL');
    const answered = (await (
      await chat({
        tools,
        messages: [
          { role: 'user', content: WEATHER_QUESTION },
          {
            role: 'assistant',
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'Sunny' },
        ],
      })
    ).json()) as { finish_reason: string; message: { content: Array<{ text: string }> } };
    expect(answered.finish_reason).toBe('COMPLETE');
    expect(answered.message.content[0]?.text).toBe(`Echo: ${WEATHER_QUESTION}`);
  });

  it('streams text events that each match the schema their type selects', async () => {
    const response = await chat({ stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = await streamedEvents(response);
    expect(events.map((item) => item.json.type)).toEqual([
      'message-start',
      'content-start',
      'content-delta',
      'content-delta',
      'content-delta',
      'content-delta',
      'content-end',
      'message-end',
    ]);
    for (const item of events) {
      expect(item.event).toBe(item.json.type);
      expectValid(validateCohereStreamEvent(item.json));
    }
  });

  it('streams tool calls as valid tool-call events', async () => {
    const events = await streamedEvents(await chat({ ...weatherQuestion, stream: true, tools }));
    expect(events.map((item) => item.json.type)).toEqual([
      'message-start',
      'tool-plan-delta',
      'tool-call-start',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-end',
      'message-end',
    ]);
    for (const item of events) expectValid(validateCohereStreamEvent(item.json));
  });

  it('sends errors as valid error bodies with the right statuses', async () => {
    const wrongKey = await chat({}, 'wrong');
    expect(wrongKey.status).toBe(401);
    expectValid(validateCohere('ErrorBody', await wrongKey.json()));

    mock.failNext({ kind: 'rate-limited', retryAfterMs: 3000 });
    const limited = await chat({});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expectValid(validateCohere('ErrorBody', await limited.json()));

    mock.failNext({ kind: 'context-length' });
    const tooLong = await chat({});
    expect(tooLong.status).toBe(400);
    expectValid(validateCohere('ErrorBody', await tooLong.json()));
  });

  it('ends a stream-error fault with a valid message-end carrying the error', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const events = await streamedEvents(await chat({ stream: true }));
    const last = events.at(-1)!.json;
    expect(last).toMatchObject({ type: 'message-end', delta: { finish_reason: 'ERROR' } });
    expect((last as { delta?: { error?: unknown } }).delta?.error).toBeTypeOf('string');
    expectValid(validateCohereStreamEvent(last));
  });

  it('lists models as a valid ListModelsResponse, filtered by endpoint', async () => {
    const response = await fetch(`${mock.url}/v1/models?endpoint=chat`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const body = (await response.json()) as { models: Array<{ name: string }> };
    expectValid(validateCohere('ListModelsResponse', body));
    expect(body.models.map((model) => model.name)).toEqual([
      'command-a-03-2025',
      'command-r-plus-08-2024',
      'command-r7b-12-2024',
    ]);
  });

  it('rejects shapes the spec forbids', () => {
    expect(
      validateCohere('ChatResponseV2', {
        id: 'x',
        finish_reason: 'DONE',
        message: { role: 'assistant' },
      }).valid,
    ).toBe(false);
    expect(validateCohere('ChatResponseV2', { id: 'x', finish_reason: 'COMPLETE' }).valid).toBe(
      false,
    );
    expect(
      validateCohereStreamEvent({
        type: 'content-delta',
        delta: { message: { content: { text: 42 } } },
      }).valid,
    ).toBe(false);
    expect(validateCohereStreamEvent({ type: 'no-such-event' }).valid).toBe(false);
  });
});

describe('Cohere mock tokenize (v1/tokenize, as the OpenAPI document describes it)', () => {
  function tokenize(body: Record<string, unknown>): Promise<Response> {
    return fetch(`${mock.url}/v1/tokenize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('answers a TokenizeResponse: token ids and their strings, one per word', async () => {
    const response = await tokenize({ text: 'tokenize me please', model: 'command-a-03-2025' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tokens: unknown[]; token_strings: unknown[] };
    expect(body.token_strings).toEqual(['tokenize', 'me', 'please']);
    expect(body.tokens).toHaveLength(3);
    expect(body.tokens.every((token) => Number.isInteger(token))).toBe(true);
  });

  it('refuses an empty text, an over-long one and a missing model with 400', async () => {
    for (const body of [
      { text: '', model: 'command-a-03-2025' },
      { text: 'x'.repeat(65_537), model: 'command-a-03-2025' },
      { text: 'hello' },
    ]) {
      const response = await tokenize(body);
      expect(response.status).toBe(400);
      expect(typeof ((await response.json()) as { message: unknown }).message).toBe('string');
    }
  });
});
