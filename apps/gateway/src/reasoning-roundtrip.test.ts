// Reasoning sent back through a tool loop on translated targets: a Messages client's signed
// thinking reaches Bedrock Converse as reasoningContent, and a Responses client's reasoning items
// (encrypted_content, or a stored previous response) reach Anthropic as the signed thinking block
// that must open the continued tool turn. Signatures go back only to the family that made them:
// another vendor of the same route never receives them.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type {
  ResponseInputItem,
  ResponseOutputItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startBedrockMock,
  startGeminiMock,
  startOpenAIMock,
  validateOpenAIResponses,
  type AnthropicMock,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-reasoning-roundtrip-key';
// An application inference profile: not an `anthropic.` model id, so Messages requests to it are
// translated to Converse rather than passed through to InvokeModel.
const CONVERSE_CLAUDE =
  'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/claude-sonnet-4-5';

type Body = Record<string, unknown>;
type Message = { role: string; content: Array<Record<string, unknown>> | string };

let anthropic: AnthropicMock;
let bedrock: MockServer;
let gemini: MockServer;
let lmstudio: MockServer;
let openai: MockServer;
let gateway: TestGateway;
let messagesClient: Anthropic;
let responsesClient: OpenAI;

beforeAll(async () => {
  [anthropic, bedrock, gemini, lmstudio, openai] = await Promise.all([
    startAnthropicMock({ apiKey: 'anthropic-key' }),
    startBedrockMock({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' }),
    startGeminiMock({ apiKey: 'gemini-key' }),
    startOpenAIMock({ flavor: 'lmstudio' }),
    startOpenAIMock({ apiKey: 'openai-key', models: ['gpt-real'] }),
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
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'openai-key' },
    ],
    routes: [
      { name: 'converse', targets: [{ provider: 'bedrock', model: CONVERSE_CLAUDE }] },
      { name: 'anthropic', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      { name: 'gemini', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] },
      { name: 'lmstudio', targets: [{ provider: 'lmstudio', model: 'qwen3-8b' }] },
      { name: 'openai', targets: [{ provider: 'openai', model: 'gpt-real' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  messagesClient = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
  responsesClient = new OpenAI({
    baseURL: `${gateway.url}/v1`,
    apiKey: KEY,
    maxRetries: 0,
    timeout: 10_000,
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic, bedrock, gemini, lmstudio, openai].map((mock) => mock.close()));
  await closeHttpAgent();
});

beforeEach(() => {
  for (const mock of [anthropic, bedrock, gemini, lmstudio, openai]) mock.reset();
});

function lastBody(mock: MockServer): Body {
  return mock.requests.at(-1)?.body as Body;
}

function messagesOf(body: Body): Message[] {
  return body.messages as Message[];
}

describe('a Messages tool loop with thinking, translated to Bedrock Converse', () => {
  const tools = [
    {
      name: 'lookup',
      description: 'Looks a city up',
      input_schema: { type: 'object' as const, properties: { input: { type: 'string' } } },
    },
  ];
  const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
  // Thinking forbids forcing a tool, so the user names it: the mock model then calls it.
  const question = { role: 'user' as const, content: 'lookup the weather in Paris' };

  async function secondTurn(turn: Anthropic.Message): Promise<void> {
    const call = turn.content.find((block) => block.type === 'tool_use');
    if (call?.type !== 'tool_use') throw new Error('expected a tool_use on the first turn');
    await messagesClient.messages.create({
      model: 'converse',
      max_tokens: 4096,
      thinking,
      tools,
      messages: [
        question,
        { role: 'assistant', content: turn.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }],
        },
      ],
    });
  }

  function expectSignedReasoningReceived(signature: string): void {
    const body = lastBody(bedrock);
    expect(body.additionalModelRequestFields).toMatchObject({ thinking: { type: 'enabled' } });
    const [, assistant] = messagesOf(body);
    expect(assistant?.role).toBe('assistant');
    const content = assistant?.content as Array<Record<string, unknown>>;
    expect(content[0]).toEqual({
      reasoningContent: {
        reasoningText: { text: 'Thinking about: lookup the weather in Paris', signature },
      },
    });
    expect(content[1]).toMatchObject({ toolUse: { name: 'lookup' } });
  }

  it('sends the signed thinking of turn one back as reasoningContent opening the tool turn', async () => {
    const first = await messagesClient.messages.create({
      model: 'converse',
      max_tokens: 4096,
      thinking,
      tools,
      messages: [question],
    });
    expect(first.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    const [block] = first.content;
    if (block?.type !== 'thinking') throw new Error('expected a thinking block first');
    // Claude's signatures reach a Messages client bare, as Anthropic itself would send them
    expect(block.signature).toMatch(/^sig_bedrock\d+==$/);
    await secondTurn(first);
    expectSignedReasoningReceived(block.signature);
  });

  it('does the same with a streamed first turn', async () => {
    const stream = messagesClient.messages.stream({
      model: 'converse',
      max_tokens: 4096,
      thinking,
      tools,
      messages: [question],
    });
    const first = await stream.finalMessage();
    const [block] = first.content;
    if (block?.type !== 'thinking') throw new Error('expected a thinking block first');
    expect(block.signature).toMatch(/^sig_bedrock\d+==$/);
    await secondTurn(first);
    expectSignedReasoningReceived(block.signature);
  });
});

describe('thinking of another family in a Messages conversation', () => {
  const history = (signature: string) => [
    { role: 'user' as const, content: 'lookup the weather in Paris' },
    {
      role: 'assistant' as const,
      content: [
        { type: 'thinking' as const, thinking: 'Pondering.', signature },
        { type: 'text' as const, text: 'Sunny.' },
      ],
    },
    { role: 'user' as const, content: 'and tomorrow?' },
  ];

  it('is never forwarded to Anthropic: the conversation is translated, leaving it out', async () => {
    // a Gemini signature the gateway sealed when it answered an earlier turn
    await messagesClient.messages.create({
      model: 'anthropic',
      max_tokens: 256,
      messages: history('swy1:gemini:s:Z2VtaW5p'),
    });
    const received = anthropic.requests.at(-1);
    expect(received?.rawBody).not.toContain('swy1');
    expect(received?.rawBody).not.toContain('Z2VtaW5p');
    expect(messagesOf(received?.body as Body)[1]?.content).toEqual([
      { type: 'text', text: 'Sunny.' },
    ]);
  });

  it('while Anthropic’s own signature travels in the client’s bytes', async () => {
    await messagesClient.messages.create({
      model: 'anthropic',
      max_tokens: 256,
      messages: history('sig_earlier=='),
    });
    expect(anthropic.requests.at(-1)?.rawBody).toContain(
      '{"type":"thinking","thinking":"Pondering.","signature":"sig_earlier=="}',
    );
  });
});

describe('a Responses tool loop with reasoning, translated to Anthropic', () => {
  const tools = [
    {
      type: 'function' as const,
      name: 'lookup',
      description: 'Looks a city up',
      parameters: { type: 'object', properties: { input: { type: 'string' } } },
      strict: false,
    },
  ];
  const reasoning = { effort: 'low' as const, summary: 'auto' as const };
  // Thinking forbids forcing a tool, so the user names it: the mock model then calls it.
  const question: ResponseInputItem = { role: 'user', content: 'lookup the weather in Paris' };

  function expectValid(schema: 'Response' | 'ResponseStreamEvent', value: unknown): void {
    expect(validateOpenAIResponses(schema, JSON.parse(JSON.stringify(value))).errors).toBe('');
  }

  function callOf(output: ResponseOutputItem[]) {
    const call = output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function_call');
    return call;
  }

  /** The signature the mock signed its first answer with, read from the bytes it sent. */
  function signedByMock(): string {
    const signature = /sig_mock\d+==/.exec(anthropic.sent[0] ?? '')?.[0];
    if (!signature) throw new Error('expected the first answer to carry a signature');
    return signature;
  }

  function expectSignedThinkingReceived(): void {
    const body = lastBody(anthropic);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    const [, assistant, results] = messagesOf(body);
    expect(assistant?.role).toBe('assistant');
    const content = assistant?.content as Array<Record<string, unknown>>;
    expect(content[0]).toEqual({
      type: 'thinking',
      thinking: 'Thinking about: lookup the weather in Paris',
      signature: signedByMock(),
    });
    expect(content[1]).toMatchObject({ type: 'tool_use', name: 'lookup' });
    expect(results?.content).toEqual([
      { type: 'tool_result', tool_use_id: expect.any(String) as unknown, content: 'sunny' },
    ]);
  }

  it('resends reasoning items with their encrypted_content (store off), reaching Anthropic signed', async () => {
    const first = await responsesClient.responses.create({
      model: 'anthropic',
      input: [question],
      tools,
      reasoning,
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    expectValid('Response', first);
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    const [item] = first.output;
    if (item?.type !== 'reasoning') throw new Error('expected a reasoning item first');
    expect(item.encrypted_content).toBe(`swy1:anthropic:s:${signedByMock()}`);
    const second = await responsesClient.responses.create({
      model: 'anthropic',
      input: [
        question,
        ...(first.output as ResponseInputItem[]),
        { type: 'function_call_output', call_id: callOf(first.output).call_id, output: 'sunny' },
      ],
      tools,
      reasoning,
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    expectValid('Response', second);
    expectSignedThinkingReceived();
  });

  it('continues from a stored response by previous_response_id, the signature kept though not shown', async () => {
    const events: ResponseStreamEvent[] = [];
    for await (const event of responsesClient.responses.stream({
      model: 'anthropic',
      input: [question],
      tools,
      reasoning,
    }))
      events.push(event);
    for (const event of events) expectValid('ResponseStreamEvent', event);
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('expected response.completed');
    const first = completed.response;
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    // not asked for with include: the client does not see it, the stored response keeps it
    expect(JSON.stringify(events)).not.toContain('sig_mock');
    const retrieved = await responsesClient.responses.retrieve(first.id);
    expect(JSON.stringify(retrieved)).not.toContain('sig_mock');
    await responsesClient.responses.create({
      model: 'anthropic',
      previous_response_id: first.id,
      input: [
        { type: 'function_call_output', call_id: callOf(first.output).call_id, output: 'sunny' },
      ],
      tools,
      reasoning,
    });
    expectSignedThinkingReceived();
  });

  it('never sends an Anthropic signature to another vendor, nor reasoning to a chat server', async () => {
    const first = await responsesClient.responses.create({
      model: 'anthropic',
      input: [question],
      tools,
      reasoning,
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    const history: ResponseInputItem[] = [
      question,
      ...(first.output as ResponseInputItem[]),
      { type: 'function_call_output', call_id: callOf(first.output).call_id, output: 'sunny' },
    ];
    for (const [route, mock] of [
      ['gemini', gemini],
      ['lmstudio', lmstudio],
    ] as const) {
      await responsesClient.responses.create({ model: route, input: history, tools });
      const received = mock.requests.at(-1);
      expect(received?.rawBody).toContain('lookup');
      expect(received?.rawBody).not.toContain('sig_mock');
      expect(received?.rawBody).not.toContain('thoughtSignature":"sig');
    }
    const chat = messagesOf(lastBody(lmstudio)).find((message) => message.role === 'assistant');
    expect(chat).toBeDefined();
    expect(chat).not.toHaveProperty('reasoning');
  });

  it('sends a Responses vendor the unified request, not the client body, when the input holds sealed reasoning', async () => {
    const first = await responsesClient.responses.create({
      model: 'anthropic',
      input: [question],
      tools,
      reasoning,
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    const history: ResponseInputItem[] = [
      question,
      ...(first.output as ResponseInputItem[]),
      { type: 'function_call_output', call_id: callOf(first.output).call_id, output: 'sunny' },
    ];
    await responsesClient.responses.create({ model: 'openai', input: history, tools });
    const translated = openai.requests.at(-1);
    expect(translated?.url).toBe('/v1/chat/completions');
    expect(translated?.rawBody).not.toContain('swy1:');
    expect(translated?.rawBody).not.toContain('sig_mock');
    // the vendor's own encrypted content is its to read: that body goes to it as sent
    await responsesClient.responses.create({
      model: 'openai',
      input: [
        question,
        { type: 'reasoning', id: 'rs_vendor', summary: [], encrypted_content: 'gAAAAB-vendor' },
        { type: 'message', role: 'assistant', content: 'Hi.' },
        { role: 'user', content: 'again' },
      ] as ResponseInputItem[],
      store: false,
    });
    const native = openai.requests.at(-1);
    expect(native?.url).toBe('/v1/responses');
    expect(native?.rawBody).toContain('gAAAAB-vendor');
  });
});
