// Reasoning through the Responses API with the official OpenAI SDK: `reasoning.effort` reaches
// each vendor as its own control (Anthropic and Bedrock thinking budgets, Gemini thinkingConfig,
// LM Studio's reasoning_effort), and the vendor's reasoning comes back as `reasoning` items with
// summaries, streamed as `response.reasoning_summary_text.*`, every event schema-valid.
import OpenAI, { BadRequestError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startBedrockMock,
  startGeminiMock,
  startOpenAIMock,
  validateOpenAIResponses,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-reasoning-responses-key';
const VENDORS = ['anthropic', 'bedrock', 'gemini', 'lmstudio'] as const;
type Vendor = (typeof VENDORS)[number];

const MODELS: Record<Vendor, string> = {
  anthropic: 'claude-sonnet-4-5',
  bedrock: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  gemini: 'gemini-2.5-flash',
  lmstudio: 'qwen3-8b',
};

/** What each vendor was asked for, read from the body the mock received. */
const CONTROL: Record<Vendor, (body: Record<string, unknown>) => unknown> = {
  anthropic: (body) => body.thinking,
  bedrock: (body) => (body.additionalModelRequestFields as Record<string, unknown>).thinking,
  gemini: (body) => (body.generationConfig as Record<string, unknown>).thinkingConfig,
  lmstudio: (body) => body.reasoning_effort,
};

const EXPECTED_CONTROL: Record<Vendor, unknown> = {
  anthropic: { type: 'enabled', budget_tokens: 1024 },
  bedrock: { type: 'enabled', budget_tokens: 1024 },
  gemini: { thinkingBudget: 1024, includeThoughts: true },
  lmstudio: 'low',
};

/** Anthropic counts thinking inside output_tokens without a separate figure. */
const REPORTS_REASONING_TOKENS: Record<Vendor, boolean> = {
  anthropic: false,
  bedrock: false,
  gemini: true,
  lmstudio: true,
};

const SIGNS: Record<Vendor, boolean> = {
  anthropic: true,
  bedrock: true,
  gemini: false,
  lmstudio: false,
};

let mocks: Record<Vendor, MockServer>;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  const [anthropic, bedrock, gemini, lmstudio] = await Promise.all([
    startAnthropicMock({ apiKey: 'anthropic-key' }),
    startBedrockMock({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' }),
    startGeminiMock({ apiKey: 'gemini-key' }),
    startOpenAIMock({ flavor: 'lmstudio' }),
  ]);
  mocks = { anthropic, bedrock, gemini, lmstudio };
  gateway = await startTestGateway({
    providers: [
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
      { id: 'lmstudio', name: 'LM Studio', type: 'lmstudio', endpoint: lmstudio.url },
    ],
    routes: [
      ...VENDORS.map((vendor) => ({
        name: vendor,
        targets: [{ provider: vendor, model: MODELS[vendor] }],
      })),
      { name: 'nova', targets: [{ provider: 'bedrock', model: 'amazon.nova-lite-v1:0' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
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

function expectValid(schema: 'Response' | 'ResponseStreamEvent', value: unknown): void {
  expect(validateOpenAIResponses(schema, JSON.parse(JSON.stringify(value))).errors).toBe('');
}

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe.each(VENDORS)('reasoning through the Responses API onto %s', (vendor) => {
  it('maps reasoning.effort and answers with a reasoning item before the message', async () => {
    const response = await client.responses.create({
      model: vendor,
      input: 'ponder',
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
    });
    expectValid('Response', response);
    const sent = mocks[vendor].requests.at(-1)?.body as Record<string, unknown>;
    expect(CONTROL[vendor](sent)).toEqual(EXPECTED_CONTROL[vendor]);
    const [reasoning, message] = response.output;
    if (reasoning?.type !== 'reasoning') throw new Error('expected a reasoning item first');
    expect(reasoning.id).toMatch(/^rs_/);
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: 'Thinking about: ponder' }]);
    // sealed with the family that signed it, so it goes back to that family only
    if (SIGNS[vendor]) expect(reasoning.encrypted_content).toMatch(/^swy1:anthropic:s:sig_/);
    else expect(reasoning.encrypted_content).toBeNull();
    expect(message?.type).toBe('message');
    expect(response.output_text).toBe('Echo: ponder');
    const reasoningTokens = response.usage?.output_tokens_details.reasoning_tokens ?? 0;
    if (REPORTS_REASONING_TOKENS[vendor]) expect(reasoningTokens).toBeGreaterThan(0);
    else expect(reasoningTokens).toBe(0);
  });

  it('streams the summary as reasoning_summary_text events, each schema-valid', async () => {
    const events = await collect(
      client.responses.stream({
        model: vendor,
        input: 'ponder',
        reasoning: { effort: 'low', summary: 'auto' },
      }),
    );
    for (const event of events) expectValid('ResponseStreamEvent', event);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 5)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
    ]);
    const summary = events.flatMap((event) =>
      event.type === 'response.reasoning_summary_text.delta' ? [event.delta] : [],
    );
    expect(summary.join('')).toBe('Thinking about: ponder');
    const done = events.find((event) => event.type === 'response.reasoning_summary_text.done');
    expect(done).toMatchObject({ text: 'Thinking about: ponder', output_index: 0 });
    expect(types).toContain('response.reasoning_summary_part.done');
    const text = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(text.join('')).toBe('Echo: ponder');
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('expected response.completed');
    expect(completed.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
  });
});

describe('reasoning requests a vendor cannot honour', () => {
  it('refuses an effort for a Bedrock model without a thinking budget, naming the field', async () => {
    const refused = await client.responses
      .create({ model: 'nova', input: 'ponder', reasoning: { effort: 'high' } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as BadRequestError).message).toContain('reasoning_effort');
    expect(mocks.bedrock.requests).toHaveLength(0);
  });

  it('refuses a token limit that leaves no room for the minimum thinking budget', async () => {
    const refused = await client.responses
      .create({
        model: 'anthropic',
        input: 'ponder',
        reasoning: { effort: 'low' },
        max_output_tokens: 500,
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as BadRequestError).message).toContain('max_tokens');
    expect(mocks.anthropic.requests).toHaveLength(0);
  });

  it('sends no thinking for effort none', async () => {
    const response = await client.responses.create({
      model: 'anthropic',
      input: 'ponder',
      reasoning: { effort: 'none' },
    });
    expect(response.output.map((item) => item.type)).toEqual(['message']);
    expect(mocks.anthropic.requests.at(-1)?.body).not.toHaveProperty('thinking');
  });
});
