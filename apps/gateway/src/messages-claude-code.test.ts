// A request shaped like Claude Code's (observed from version 2.1.332): `?beta=true`, JSON accept
// with `stream: true`, bearer auth, several betas, `system` entries inside `messages` with cache
// breakpoints, adaptive thinking, output_config, context_management, a JSON-string user id,
// `max_tokens: 32000` and `tools: []` — replayed against a pass-through and a translated target.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  type AnthropicMock,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-claude-code-key-0001';
let anthropic: AnthropicMock;
let openai: MockServer;
let gateway: TestGateway;

beforeAll(async () => {
  [anthropic, openai] = await Promise.all([
    startAnthropicMock({ apiKey: 'ant-key' }),
    startOpenAIMock({ apiKey: 'oa-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'anthropic', name: 'A', type: 'anthropic', endpoint: anthropic.url, apiKey: 'ant-key' },
      { id: 'openai', name: 'O', type: 'openai', endpoint: openai.url, apiKey: 'oa-key' },
    ],
    routes: [
      {
        name: 'claude-sonnet-4-5',
        targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }],
      },
      {
        name: 'claude-on-gpt',
        maxTokens: 16_384,
        targets: [{ provider: 'openai', model: 'gpt-4o-mini' }],
      },
    ],
    keys: [{ name: 'cli', key: KEY }],
    retryAttempts: 0,
  });
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

const USER_ID = JSON.stringify({
  device_id: 'a'.repeat(64),
  account_uuid: '',
  session_id: '2f0c7e5e-7a51-4f0e-9d7e-0c1f5b1f3a11',
});

function claudeCodeBody(model: string): string {
  return JSON.stringify({
    model,
    messages: [
      {
        role: 'system',
        content: [
          {
            type: 'text',
            text: '<env>Working directory: /tmp/project\nPlatform: linux</env>',
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'text', text: 'Say hello', cache_control: { type: 'ephemeral' } }],
      },
    ],
    system: [
      {
        type: 'text',
        text: "You are Claude Code, Anthropic's official CLI for Claude.",
        cache_control: { type: 'ephemeral' },
      },
    ],
    tools: [],
    metadata: { user_id: USER_ID },
    max_tokens: 32_000,
    thinking: { type: 'adaptive', display: 'omitted' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    output_config: { effort: 'high' },
    stream: true,
  });
}

async function replay(body: string): Promise<Response> {
  return await fetch(`${gateway.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${KEY}`,
      'anthropic-version': '2023-06-01',
      'anthropic-beta':
        'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,effort-2025-11-24',
      'user-agent': 'claude-cli/2.1.332 (external, cli)',
      'x-app': 'cli',
    },
    body,
  });
}

function textOf(sse: string): string {
  let text = '';
  for (const match of sse.matchAll(/^data: (.*)$/gm)) {
    const event = JSON.parse(match[1] ?? '{}') as { delta?: { type?: string; text?: string } };
    if (event.delta?.type === 'text_delta') text += event.delta.text ?? '';
  }
  return text;
}

describe('a Claude Code request', () => {
  it('passes through to Anthropic byte for byte, streamed although it accepts JSON', async () => {
    const body = claudeCodeBody('claude-sonnet-4-5');
    const response = await replay(body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const sse = await response.text();
    const received = anthropic.requests.at(-1);
    expect(received?.url).toBe('/v1/messages');
    expect(received?.rawBody).toBe(body);
    expect(received?.headers['anthropic-beta']).toContain('context-management-2025-06-27');
    expect(sse).toBe(anthropic.sent.at(-1));
    expect(textOf(sse)).toBe('Echo: Say hello');
  });

  it('is translated sensibly for another vendor', async () => {
    const response = await replay(claudeCodeBody('claude-on-gpt'));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-max-tokens')).toBe('clamped from 32000 to 16384');
    expect(response.headers.get('x-switchyard-thinking')).toBe('reasoning_effort=high');
    const sse = await response.text();
    expect(textOf(sse)).toBe('Echo: Say hello');
    expect(sse.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
    const sent = openai.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'gpt-4o-mini',
      max_tokens: 16_384,
      reasoning_effort: 'high',
      user: USER_ID,
      stream: true,
      messages: [
        { role: 'system', content: "You are Claude Code, Anthropic's official CLI for Claude." },
        { role: 'system', content: '<env>Working directory: /tmp/project\nPlatform: linux</env>' },
        { role: 'user', content: [{ type: 'text', text: 'Say hello' }] },
      ],
    });
    expect(sent).not.toHaveProperty('tools');
    expect(sent).not.toHaveProperty('context_management');
  });

  it('retried without streaming, it gets a JSON message', async () => {
    const body = claudeCodeBody('claude-on-gpt').replace('"stream":true', '"stream":false');
    const response = await replay(body);
    const message = (await response.json()) as { type: string; content: unknown[] };
    expect(message.type).toBe('message');
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: Say hello' }]);
  });
});
