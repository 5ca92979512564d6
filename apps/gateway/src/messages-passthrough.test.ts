// The Messages API passed through to Anthropic: the bytes the vendor receives are the client's
// apart from the model, and the vendor's answer (JSON or SSE) reaches the client byte for byte.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  type AnthropicMock,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-messages-native-key';
let anthropic: AnthropicMock;
let openai: MockServer;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  [anthropic, openai] = await Promise.all([
    startAnthropicMock({ apiKey: 'ant-vendor-key' }),
    startOpenAIMock({ apiKey: 'oa-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'ant-vendor-key',
      },
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'oa-key' },
    ],
    routes: [
      { name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      {
        name: 'claude-small',
        maxTokens: 100,
        targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }],
      },
      {
        name: 'claude-or-gpt',
        targets: [
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
          { provider: 'openai', model: 'gpt-4o-mini' },
        ],
      },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
    circuitBreaker: { consecutiveFailures: 100, cooldownMs: 1000 },
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

beforeEach(() => {
  anthropic.reset();
  openai.reset();
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic.close(), openai.close()]);
  await closeHttpAgent();
});

/** A body as a client might write it: odd spacing, key order, a signed thinking block, cache breakpoints. */
function clientBody(stream: boolean): string {
  return `{
  "max_tokens" : 1024, "stream": ${stream},
  "system": [{"type":"text","text":"You are a careful assistant.","cache_control":{"type":"ephemeral"}}],
  "model":   "claude",
  "thinking": {"type": "enabled", "budget_tokens": 1024},
  "messages": [
    {"role":"user","content":[{"type":"text","text":"What is 2+2?","cache_control":{"type":"ephemeral","ttl":"5m"}}]},
    {"role":"assistant","content":[
      {"type":"thinking","thinking":"Two plus two\\u2026 four.","signature":"EqQBCkYIARgCIkB+/abc=="},
      {"type":"text","text":"4"}]},
    {"role":"user","content":"And 3+3?"}
  ],
  "metadata": {"user_id": "{\\"device\\":\\"d1\\"}"}
}`;
}

async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return await fetch(`${gateway.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${KEY}`,
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'interleaved-thinking-2025-05-14,claude-code-20250219',
      ...headers,
    },
    body,
  });
}

describe('Messages pass-through to Anthropic', () => {
  it('forwards the body byte for byte apart from the model, and answers with the vendor bytes', async () => {
    const body = clientBody(false);
    const response = await post(body);
    expect(response.status).toBe(200);
    const text = await response.text();
    const received = anthropic.requests.at(-1);
    expect(received?.rawBody).toBe(
      body.replace('"model":   "claude"', '"model":   "claude-sonnet-4-5"'),
    );
    expect(received?.headers['x-api-key']).toBe('ant-vendor-key');
    expect(received?.headers['anthropic-beta']).toBe(
      'interleaved-thinking-2025-05-14,claude-code-20250219',
    );
    expect(received?.headers.authorization).toBeUndefined();
    expect(text).toBe(anthropic.sent.at(-1));
    expect(response.headers.get('x-switchyard-provider')).toBe('anthropic');
  });

  it('streams the vendor frames unchanged (json accept header, streaming decided by the body)', async () => {
    const body = clientBody(true);
    const response = await post(body);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(anthropic.requests.at(-1)?.rawBody).toBe(
      body.replace('"model":   "claude"', '"model":   "claude-sonnet-4-5"'),
    );
    expect(text).toBe(anthropic.sent.at(-1));
    expect(text).toContain('"type":"thinking_delta"');
    expect(text).toContain('"type":"signature_delta"');
  });

  it('the SDK reads thinking, text and cache usage from create and stream', async () => {
    const params = {
      model: 'claude',
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      system: [
        { type: 'text' as const, text: 'Be exact.', cache_control: { type: 'ephemeral' as const } },
      ],
      messages: [{ role: 'user' as const, content: 'think hard' }],
    };
    const message = await client.messages.create(params);
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(message.content[0]).toMatchObject({ type: 'thinking', signature: /^sig_mock/ });
    expect(message.content[1]).toEqual({ type: 'text', text: 'Echo: think hard' });
    expect(message.usage).toMatchObject({ cache_read_input_tokens: 0 });
    const stream = client.messages.stream(params);
    let thought = '';
    stream.on('thinking', (delta) => (thought += delta));
    const final = await stream.finalMessage();
    expect(thought).toBe('Thinking about: think hard');
    expect(final.content[1]).toMatchObject({ type: 'text', text: 'Echo: think hard' });
    expect(final.stop_reason).toBe('end_turn');
  });

  it('a tool_result round trip passes through', async () => {
    const tool = {
      name: 'lookup',
      input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } },
    };
    const first = await client.messages.create({
      model: 'claude',
      max_tokens: 64,
      tools: [tool],
      messages: [{ role: 'user', content: 'find it with lookup' }],
    });
    const call = first.content[0];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    const second = await client.messages.create({
      model: 'claude',
      max_tokens: 64,
      tools: [tool],
      tool_choice: { type: 'none' },
      messages: [
        { role: 'user', content: 'find it with lookup' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.id, content: 'found' }],
        },
      ],
    });
    expect(second.content[0]).toEqual({ type: 'text', text: 'Echo: find it with lookup' });
  });

  it('fails over from an overloaded Anthropic to a translated target before the first event', async () => {
    anthropic.failNext({ kind: 'overloaded' });
    const stream = client.messages.stream({
      model: 'claude-or-gpt',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'anyone there' }],
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Echo: anyone there' }]);
    expect((await stream.withResponse()).response.headers.get('x-switchyard-provider')).toBe(
      'openai',
    );
  });

  it('a vendor error event mid-stream reaches the client as an error event', async () => {
    anthropic.failNext({ kind: 'stream-error', afterChunks: 1 });
    const text = await (await post(clientBody(true))).text();
    expect(text).toContain('event: content_block_delta');
    expect(text.trimEnd().split('\n\n').at(-1)).toMatch(
      /^event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/,
    );
    expect(text).not.toContain('message_stop');
    expect(openai.requests).toHaveLength(0);
  });

  it('an overloaded Anthropic with nowhere to go is an OverloadedError', async () => {
    anthropic.failNext({ kind: 'overloaded' });
    const error: unknown = await client.messages
      .create({ model: 'claude', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  });

  it('count_tokens is counted by Anthropic, with the client bytes apart from the model', async () => {
    const { data, response } = await client.messages
      .countTokens({
        model: 'claude',
        system: 'be kind',
        messages: [{ role: 'user', content: 'three words here' }],
      })
      .withResponse();
    expect(data.input_tokens).toBe(5);
    expect(response.headers.get('x-switchyard-provider')).toBe('anthropic');
    expect(response.headers.get('x-switchyard-token-count')).toBeNull();
    const received = anthropic.requests.at(-1);
    expect(received?.url).toBe('/v1/messages/count_tokens');
    expect(received?.body).toMatchObject({ model: 'claude-sonnet-4-5', system: 'be kind' });
  });

  it("a max_tokens over the route's limit is lowered in the forwarded bytes too, and said so", async () => {
    const body =
      '{"model":"claude-small","max_tokens": 32000,"messages":[{"role":"user","content":"hi"}]}';
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-max-tokens')).toBe('clamped from 32000 to 100');
    expect(anthropic.requests.at(-1)?.rawBody).toBe(
      '{"model":"claude-sonnet-4-5","max_tokens": 100,"messages":[{"role":"user","content":"hi"}]}',
    );
  });
});
