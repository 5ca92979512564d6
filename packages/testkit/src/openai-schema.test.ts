import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockFault } from './mock-server.ts';
import { startOpenAIMock, type OpenAIMock } from './openai-mock.ts';
import { openAISchemaProvenance, validateOpenAI } from './openai-schema.ts';

const API_KEY = 'sk-schema';
let mock: OpenAIMock;

async function post(body: unknown, key = API_KEY): Promise<Response> {
  return fetch(`${mock.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The JSON payloads of an SSE body, without the final `[DONE]`. */
function sseData(text: string): unknown[] {
  const data = text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
  expect(data.at(-1)).toBe('[DONE]');
  return data.slice(0, -1).map((payload) => JSON.parse(payload) as unknown);
}

const messages = [{ role: 'user', content: 'validate me' }];
const tools = [
  {
    type: 'function',
    function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
  },
];

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: API_KEY, models: ['gpt-mock'] });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

describe('the mock answers as the OpenAI spec says', () => {
  it('completions, plain and with tool calls', async () => {
    for (const body of [
      { model: 'gpt-mock', messages },
      { model: 'gpt-mock', messages, tools },
    ]) {
      const answer: unknown = await (await post(body)).json();
      expect(validateOpenAI('CreateChatCompletionResponse', answer).errors).toBe('');
    }
  });

  it('every stream chunk, including the tool-call deltas and the usage chunk', async () => {
    for (const body of [
      { model: 'gpt-mock', messages, stream: true, stream_options: { include_usage: true } },
      { model: 'gpt-mock', messages, tools, stream: true, stream_options: { include_usage: true } },
      { model: 'gpt-mock', messages, stream: true },
    ]) {
      const chunks = sseData(await (await post(body)).text());
      expect(chunks.length).toBeGreaterThan(2);
      for (const chunk of chunks)
        expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk).errors).toBe('');
    }
  });

  it('the model list', async () => {
    const list: unknown = await (
      await fetch(`${mock.url}/v1/models`, { headers: { authorization: `Bearer ${API_KEY}` } })
    ).json();
    expect(validateOpenAI('ListModelsResponse', list)).toEqual({ valid: true, errors: '' });
  });

  it.each<MockFault>([
    { kind: 'server-error' },
    { kind: 'rate-limited' },
    { kind: 'overloaded' },
    { kind: 'context-length' },
  ])('the error body of %o', async (fault) => {
    mock.failNext(fault);
    const response = await post({ model: 'gpt-mock', messages });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(validateOpenAI('ErrorResponse', await response.json()).errors).toBe('');
  });

  it('the auth and not-found error bodies', async () => {
    expect(
      validateOpenAI(
        'ErrorResponse',
        await (await post({ model: 'gpt-mock', messages }, 'sk-wrong')).json(),
      ).errors,
    ).toBe('');
    expect(
      validateOpenAI('ErrorResponse', await (await post({ model: 'gpt-unknown', messages })).json())
        .errors,
    ).toBe('');
  });
});

describe('validateOpenAI', () => {
  const completion = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: 'm',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'hi', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
  };

  it('accepts a minimal valid completion', () => {
    expect(validateOpenAI('CreateChatCompletionResponse', completion)).toEqual({
      valid: true,
      errors: '',
    });
  });

  it('rejects objects that break the spec, naming the problem', () => {
    const { choices: _choices, ...withoutChoices } = completion;
    const missing = validateOpenAI('CreateChatCompletionResponse', withoutChoices);
    expect(missing.valid).toBe(false);
    expect(missing.errors).toContain("must have required property 'choices'");

    const badReason = validateOpenAI('CreateChatCompletionResponse', {
      ...completion,
      choices: [{ ...completion.choices[0], finish_reason: 'done' }],
    });
    expect(badReason.valid).toBe(false);
    expect(badReason.errors).toContain('finish_reason');

    expect(
      validateOpenAI('CreateChatCompletionStreamResponse', {
        ...completion,
        object: 'chat.completion',
      }).valid,
    ).toBe(false);
    expect(validateOpenAI('ErrorResponse', { error: { message: 'x', code: 'y' } }).valid).toBe(
      false,
    );
    expect(
      validateOpenAI('ListModelsResponse', { object: 'list', data: [{ id: 'm' }] }).valid,
    ).toBe(false);
  });

  it('allows the nulls the spec allows in stream chunks', () => {
    const chunk = {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null, logprobs: null }],
      usage: null,
    };
    expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk).errors).toBe('');
  });

  it('names the spec it was extracted from', () => {
    expect(openAISchemaProvenance).toMatchObject({
      file: 'openai-openapi.yaml',
      sha256: 'db5d7478feae10b4d331834c60d9765a8aa042e38419f9b1694288c11aa8ebc8',
      source: expect.stringContaining(
        'openai/openai-openapi:openapi.yaml@f85dbe223d40e1a31cba812ab2d755c7e98a92a3',
      ) as string,
    });
  });
});
