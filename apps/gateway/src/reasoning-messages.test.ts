// Reasoning through the Messages API with the official Anthropic SDK, translated onto vendors that
// do not speak it: `thinking` reaches Gemini as a thinkingConfig and LM Studio as a
// reasoning_effort, and their reasoning comes back as thinking blocks, streamed as thinking_delta.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startGeminiMock, startOpenAIMock, type MockServer } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-reasoning-messages-key';
const ROUTES = ['to-gemini', 'to-lmstudio'] as const;
type Route = (typeof ROUTES)[number];

let mocks: Record<Route, MockServer>;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  const [gemini, lmstudio] = await Promise.all([
    startGeminiMock({ apiKey: 'gm-key' }),
    startOpenAIMock({ flavor: 'lmstudio' }),
  ]);
  mocks = { 'to-gemini': gemini, 'to-lmstudio': lmstudio };
  gateway = await startTestGateway({
    providers: [
      { id: 'gemini', name: 'Gemini', type: 'gemini', endpoint: gemini.url, apiKey: 'gm-key' },
      { id: 'lmstudio', name: 'LM Studio', type: 'lmstudio', endpoint: lmstudio.url },
    ],
    routes: [
      { name: 'to-gemini', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
      { name: 'to-lmstudio', targets: [{ provider: 'lmstudio', model: 'qwen3-8b' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  await closeHttpAgent();
});

beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.reset();
});

const request = {
  max_tokens: 8192,
  // the Messages dialect reads a budget up to 8192 as a medium effort
  thinking: { type: 'enabled' as const, budget_tokens: 4096 },
  messages: [{ role: 'user' as const, content: 'ponder' }],
};

describe.each(ROUTES)('thinking translated (%s)', (route) => {
  it('answers with a thinking block before the text', async () => {
    const message = await client.messages.create({ ...request, model: route });
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Thinking about: ponder', signature: '' },
      { type: 'text', text: 'Echo: ponder' },
    ]);
    const sent = mocks[route].requests.at(-1)?.body as Record<string, unknown>;
    if (route === 'to-gemini')
      expect((sent.generationConfig as Record<string, unknown>).thinkingConfig).toEqual({
        thinkingBudget: 8192,
        includeThoughts: true,
      });
    else expect(sent.reasoning_effort).toBe('medium');
  });

  it('streams thinking_delta events the SDK accumulates into the thinking block', async () => {
    const stream = client.messages.stream({ ...request, model: route });
    let thinking = '';
    let text = '';
    stream.on('thinking', (delta) => (thinking += delta));
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(thinking).toBe('Thinking about: ponder');
    expect(text).toBe('Echo: ponder');
    expect(final.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(final.content[0]).toMatchObject({ thinking: 'Thinking about: ponder' });
    expect(final.stop_reason).toBe('end_turn');
  });

  it('leaves reasoning out when thinking is disabled', async () => {
    const message = await client.messages.create({
      ...request,
      model: route,
      thinking: { type: 'disabled' },
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: ponder' }]);
  });
});
