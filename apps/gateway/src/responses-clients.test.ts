// Real Responses clients against the gateway: the Vercel AI SDK's default OpenAI provider (which
// speaks the Responses API) and OpenAI's Agents SDK, with the testkit's mocks behind routes.
import { createOpenAI } from '@ai-sdk/openai';
import {
  Agent,
  run,
  setDefaultOpenAIClient,
  setOpenAIAPI,
  setTracingDisabled,
  tool,
} from '@openai/agents';
import { generateObject, generateText, stepCountIs, streamText, tool as aiTool } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startGeminiMock,
  startOpenAIMock,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-responses-clients-key';
let openai: MockServer;
let anthropic: MockServer;
let gemini: MockServer;
let gateway: TestGateway;

beforeAll(async () => {
  [openai, anthropic, gemini] = await Promise.all([
    startOpenAIMock({ apiKey: 'openai-key' }),
    startAnthropicMock({ apiKey: 'anthropic-key' }),
    startGeminiMock({ apiKey: 'gemini-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'openai-key' },
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
      { id: 'gemini', name: 'Gemini', type: 'gemini', endpoint: gemini.url, apiKey: 'gemini-key' },
    ],
    routes: [
      { name: 'chat', targets: [{ provider: 'openai', model: 'gpt-real' }] },
      { name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      { name: 'gemini', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  await closeHttpAgent();
});

beforeEach(() => {
  openai.reset();
  anthropic.reset();
  gemini.reset();
});

describe('the Vercel AI SDK default OpenAI provider (Responses API)', () => {
  const provider = () => createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY });

  it('generateText on a native and on a translated route', async () => {
    const native = await generateText({ model: provider()('chat'), prompt: 'hello native' });
    expect(native.text).toBe('Echo: hello native');
    expect(openai.requests[0]?.url).toBe('/v1/responses');
    const translated = await generateText({ model: provider()('claude'), prompt: 'hello claude' });
    expect(translated.text).toBe('Echo: hello claude');
    expect(translated.usage.outputTokens).toBeGreaterThan(0);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('streamText streams the deltas', async () => {
    const result = streamText({ model: provider()('claude'), prompt: 'stream through the sdk' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('Echo: stream through the sdk');
    expect(await result.finishReason).toBe('stop');
  });

  it('runs a tool round trip', async () => {
    const calls: string[] = [];
    const result = await generateText({
      model: provider()('chat'),
      prompt: 'Lisbon: get_weather',
      tools: {
        get_weather: aiTool({
          description: 'The weather in a city',
          inputSchema: z.object({ input: z.string() }),
          execute: ({ input }) => {
            calls.push(input);
            return Promise.resolve(`sunny in ${input}`);
          },
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(calls).toEqual(['Lisbon: get_weather']);
    expect(result.text).toContain('sunny in Lisbon: get_weather');
    expect(result.steps).toHaveLength(2);
  });

  it('generateObject parses structured output on a translated route', async () => {
    gemini.behaviour.reply = '{"city":"Oslo","population":700000}';
    const { object } = await generateObject({
      model: provider()('gemini'),
      schema: z.object({ city: z.string(), population: z.number() }),
      prompt: 'a city',
    });
    expect(object).toEqual({ city: 'Oslo', population: 700000 });
    expect(JSON.stringify(gemini.requests[0]?.body)).toContain('responseJsonSchema');
  });
});

describe("OpenAI's Agents SDK", () => {
  it('runs an agent with one function tool to completion', async () => {
    setTracingDisabled(true);
    setOpenAIAPI('responses');
    setDefaultOpenAIClient(
      new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 }),
    );
    const seen: string[] = [];
    const weather = tool({
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: z.object({ input: z.string() }),
      execute: ({ input }) => {
        seen.push(input);
        return `rainy in ${input}`;
      },
    });
    const agent = new Agent({
      name: 'Weather',
      instructions: 'Answer briefly',
      model: 'chat',
      tools: [weather],
    });
    const result = await run(agent, 'Bergen: get_weather');
    expect(seen).toEqual(['Bergen: get_weather']);
    expect(result.finalOutput).toBe('Echo: rainy in Bergen: get_weather');
    expect(openai.requests.every((request) => request.url === '/v1/responses')).toBe(true);
  });
});
