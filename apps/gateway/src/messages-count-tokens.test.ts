// `messages.countTokens` routed to vendors without a Messages counter of their own: Gemini counts
// with `models/{m}:countTokens`, Cohere with its tokenizer (`/v1/tokenize`); the gateway's
// estimate is only used where the vendor cannot count.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startCohereMock,
  startGeminiMock,
  type GeminiMock,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-count-tokens-key';
let gemini: GeminiMock;
let cohere: MockServer;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  [gemini, cohere] = await Promise.all([
    startGeminiMock({ apiKey: 'g-key' }),
    startCohereMock({ apiKey: 'c-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'gemini', name: 'Gemini', type: 'gemini', endpoint: gemini.url, apiKey: 'g-key' },
      { id: 'cohere', name: 'Cohere', type: 'cohere', endpoint: cohere.url, apiKey: 'c-key' },
    ],
    routes: [
      { name: 'gem', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
      { name: 'co', targets: [{ provider: 'cohere', model: 'command-a-03-2025' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

beforeEach(() => {
  gemini.reset();
  cohere.reset();
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([gemini.close(), cohere.close()]);
  await closeHttpAgent();
});

const PROMPT = {
  system: 'Answer in one word.',
  messages: [{ role: 'user' as const, content: 'What colour is the sky today?' }],
};

describe('messages.countTokens on translated targets', () => {
  it('uses Gemini’s countTokens', async () => {
    const { data, response } = await client.messages
      .countTokens({ model: 'gem', ...PROMPT })
      .withResponse();
    // The Gemini mock counts words: 4 in the system instruction, 6 in the message.
    expect(data.input_tokens).toBe(10);
    expect(response.headers.get('x-switchyard-provider')).toBe('gemini');
    expect(response.headers.get('x-switchyard-token-count')).toBeNull();
    const [counted] = gemini.requests;
    expect(counted?.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(JSON.stringify(counted?.body)).toContain('What colour is the sky today?');
  });

  it('uses Cohere’s tokenizer', async () => {
    const { data, response } = await client.messages
      .countTokens({ model: 'co', ...PROMPT })
      .withResponse();
    expect(data.input_tokens).toBe(10);
    expect(response.headers.get('x-switchyard-provider')).toBe('cohere');
    expect(response.headers.get('x-switchyard-token-count')).toBeNull();
    const [counted] = cohere.requests;
    expect(counted?.url).toBe('/v1/tokenize');
    expect(counted?.body).toMatchObject({ model: 'command-a-03-2025' });
  });

  it('falls back to the estimate, marked, when the vendor’s count fails', async () => {
    gemini.failNext({ kind: 'server-error' });
    const { data, response } = await client.messages
      .countTokens({ model: 'gem', ...PROMPT })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-token-count')).toBe('estimate');
  });
});
