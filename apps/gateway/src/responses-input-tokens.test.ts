// `POST /v1/responses/input_tokens` through the openai SDK (`responses.inputTokens.count`):
// forwarded as it came to OpenAI and Azure, counted by the target's own counter on translated
// targets (Anthropic count_tokens, Gemini countTokens), else the gateway's estimate.
import { OpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startGeminiMock,
  startOpenAIMock,
  type AnthropicMock,
  type GeminiMock,
  type OpenAIMock,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-input-tokens-key';
let openai: OpenAIMock;
let azure: OpenAIMock;
let anthropic: AnthropicMock;
let gemini: GeminiMock;
let lmstudio: OpenAIMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  [openai, azure, anthropic, gemini, lmstudio] = await Promise.all([
    startOpenAIMock({ apiKey: 'openai-key' }),
    startOpenAIMock({ apiKey: 'azure-key', flavor: 'azure', models: ['my-deployment'] }),
    startAnthropicMock({ apiKey: 'anthropic-key' }),
    startGeminiMock({ apiKey: 'gemini-key' }),
    startOpenAIMock({}),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'openai-key' },
      {
        id: 'azure',
        name: 'Azure',
        type: 'azure',
        endpoint: azure.url,
        apiKey: 'azure-key',
        config: { azureApiStyle: 'v1' },
      },
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
      { id: 'gemini', name: 'Gemini', type: 'gemini', endpoint: gemini.url, apiKey: 'gemini-key' },
      { id: 'lmstudio', name: 'LM Studio', type: 'lmstudio', endpoint: lmstudio.url },
    ],
    routes: [
      { name: 'gpt', targets: [{ provider: 'openai', model: 'gpt-real' }] },
      { name: 'azure', targets: [{ provider: 'azure', model: 'my-deployment' }] },
      { name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      { name: 'gem', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
      { name: 'local', targets: [{ provider: 'lmstudio', model: 'qwen' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

beforeEach(() => {
  for (const mock of [openai, azure, anthropic, gemini, lmstudio]) mock.reset();
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([openai, azure, anthropic, gemini, lmstudio].map((mock) => mock.close()));
  await closeHttpAgent();
});

const REQUEST = { instructions: 'Be brief', input: 'count these five words please' };

describe('responses.inputTokens.count', () => {
  it('is forwarded natively to OpenAI, body as sent apart from the model', async () => {
    const { data, response } = await client.responses.inputTokens
      .count({ model: 'gpt', ...REQUEST })
      .withResponse();
    expect(data).toEqual({ object: 'response.input_tokens', input_tokens: 7 });
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    const [sent] = openai.requests;
    expect(sent?.url).toBe('/v1/responses/input_tokens');
    expect(sent?.body).toEqual({ model: 'gpt-real', ...REQUEST });
  });

  it('is forwarded natively to Azure’s v1 Responses API', async () => {
    const data = await client.responses.inputTokens.count({ model: 'azure', ...REQUEST });
    expect(data.input_tokens).toBe(7);
    expect(azure.requests[0]?.url).toBe('/openai/v1/responses/input_tokens');
  });

  it('is counted by Anthropic’s count_tokens on a translated target', async () => {
    const { data, response } = await client.responses.inputTokens
      .count({ model: 'claude', ...REQUEST })
      .withResponse();
    expect(data.input_tokens).toBe(7);
    expect(response.headers.get('x-switchyard-provider')).toBe('anthropic');
    const [sent] = anthropic.requests;
    expect(sent?.url).toBe('/v1/messages/count_tokens');
    expect(sent?.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      system: [{ type: 'text', text: 'Be brief' }],
    });
    expect(sent?.body).not.toHaveProperty('max_tokens');
  });

  it('is counted by Gemini’s countTokens on a translated target', async () => {
    const data = await client.responses.inputTokens.count({ model: 'gem', ...REQUEST });
    expect(data.input_tokens).toBe(7);
    expect(gemini.requests[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
  });

  it('is the gateway’s estimate, marked, where the target cannot count', async () => {
    const { data, response } = await client.responses.inputTokens
      .count({ model: 'local', ...REQUEST })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-token-count')).toBe('estimate');
    expect(lmstudio.requests).toHaveLength(0);
  });

  it('counts a follow-up with the stored conversation on a translated target', async () => {
    const first = await client.responses.create({ model: 'gem', input: 'one two three' });
    gemini.reset();
    const data = await client.responses.inputTokens.count({
      model: 'gem',
      previous_response_id: first.id,
      input: 'four',
    });
    // "one two three", the answer "Echo: one two three", and "four".
    expect(data.input_tokens).toBe(3 + 4 + 1);
    expect(gemini.requests[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
  });

  it('refuses a request with nothing to count, naming the field', async () => {
    const error = await client.responses.inputTokens
      .count({ model: 'gpt' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('input');
  });
});
