// Reasoning through Chat Completions with the official OpenAI SDK: `reasoning_effort` reaches
// Anthropic as a thinking budget (kept below max_tokens) and the reasoning comes back as
// `reasoning_content`, the field DeepSeek, vLLM and LM Studio clients read; a local server's own
// `reasoning_content` passes through unchanged.
import OpenAI, { BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  validateOpenAI,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-reasoning-chat-key';

let anthropic: MockServer;
let lmstudio: MockServer;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  [anthropic, lmstudio] = await Promise.all([
    startAnthropicMock({ apiKey: 'anthropic-key' }),
    startOpenAIMock({ flavor: 'lmstudio' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
      { id: 'lmstudio', name: 'LM Studio', type: 'lmstudio', endpoint: lmstudio.url },
    ],
    routes: [
      { name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      { name: 'local', targets: [{ provider: 'lmstudio', model: 'qwen3-8b' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic.close(), lmstudio.close()]);
  await closeHttpAgent();
});

beforeEach(() => {
  anthropic.reset();
  lmstudio.reset();
});

const messages = [{ role: 'user' as const, content: 'ponder' }];

describe('reasoning_effort over Chat Completions', () => {
  it('maps to an Anthropic thinking budget and answers with reasoning_content', async () => {
    const completion = await client.chat.completions.create({
      model: 'claude',
      messages,
      reasoning_effort: 'high',
      max_tokens: 3000,
    });
    expect(validateOpenAI('CreateChatCompletionResponse', completion).errors).toBe('');
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.content).toBe('Echo: ponder');
    expect(message.reasoning_content).toBe('Thinking about: ponder');
    // high is 4096 tokens, shrunk below the client's limit
    expect(anthropic.requests.at(-1)?.body).toMatchObject({
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 2999 },
    });
  });

  it('streams reasoning_content deltas before the content', async () => {
    const stream = await client.chat.completions.create({
      model: 'claude',
      messages,
      reasoning_effort: 'medium',
      stream: true,
    });
    const order: string[] = [];
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk).errors).toBe('');
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; content?: string };
      if (delta?.reasoning_content) {
        reasoning += delta.reasoning_content;
        order.push('reasoning');
      }
      if (delta?.content) {
        text += delta.content;
        order.push('content');
      }
    }
    expect(reasoning).toBe('Thinking about: ponder');
    expect(text).toBe('Echo: ponder');
    expect(order[0]).toBe('reasoning');
    expect(anthropic.requests.at(-1)?.body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
  });

  it('refuses a forced tool while reasoning on Anthropic, naming tool_choice', async () => {
    const refused = await client.chat.completions
      .create({
        model: 'claude',
        messages,
        reasoning_effort: 'low',
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
        tool_choice: 'required',
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as BadRequestError).message).toContain('tool_choice');
    expect(anthropic.requests).toHaveLength(0);
  });

  it("passes a local server's reasoning_content through, answer and stream", async () => {
    const completion = await client.chat.completions.create({
      model: 'local',
      messages,
      reasoning_effort: 'low',
    });
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning_content).toBe('Thinking about: ponder');
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(3);
    expect(lmstudio.requests.at(-1)?.body).toMatchObject({ reasoning_effort: 'low' });

    const stream = await client.chat.completions.create({
      model: 'local',
      messages,
      reasoning_effort: 'low',
      stream: true,
    });
    let reasoning = '';
    for await (const chunk of stream)
      reasoning +=
        (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)
          ?.reasoning_content ?? '';
    expect(reasoning).toBe('Thinking about: ponder');
  });
});
