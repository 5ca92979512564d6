// A native target's own 4xx reaches a Messages or Responses client as the vendor wrote it (status
// and body, already that dialect's envelope) when the request ends on it; errors the gateway makes
// — and the vendor's 5xx and credential errors — keep the gateway's envelope. The SDKs' typed
// errors read both.
import Anthropic from '@anthropic-ai/sdk';
import { OpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startBedrockMock,
  startOpenAIMock,
  type AnthropicMock,
  type BedrockMock,
  type OpenAIMock,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-native-errors-key';
const BEDROCK_MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
let anthropic: AnthropicMock;
let openai: OpenAIMock;
let bedrock: BedrockMock;
let gateway: TestGateway;
let messages: Anthropic;
let responses: OpenAI;

beforeAll(async () => {
  [anthropic, openai, bedrock] = await Promise.all([
    startAnthropicMock({ apiKey: 'ant-key' }),
    startOpenAIMock({ apiKey: 'oa-key' }),
    startBedrockMock({
      accessKeyId: 'AKIDGATEWAY',
      secretAccessKey: 'gateway/secret',
      region: 'us-west-2',
    }),
  ]);
  gateway = await startTestGateway({
    providers: [
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'ant-key',
      },
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'oa-key' },
      {
        id: 'bedrock',
        name: 'Bedrock',
        type: 'bedrock',
        endpoint: bedrock.url,
        apiKey: 'AKIDGATEWAY',
        config: { region: 'us-west-2', secretKey: 'gateway/secret' },
      },
    ],
    routes: [
      { name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      {
        name: 'claude-or-gpt',
        targets: [
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
          { provider: 'openai', model: 'gpt-4o-mini' },
        ],
      },
      { name: 'gpt', targets: [{ provider: 'openai', model: 'gpt-real' }] },
      { name: 'bedrock-claude', targets: [{ provider: 'bedrock', model: BEDROCK_MODEL }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
    circuitBreaker: { consecutiveFailures: 100, cooldownMs: 1000 },
  });
  messages = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
  responses = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

beforeEach(() => {
  anthropic.reset();
  openai.reset();
  bedrock.reset();
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic.close(), openai.close(), bedrock.close()]);
  await closeHttpAgent();
});

async function rawMessages(model: string, extra = ''): Promise<Response> {
  return await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
    },
    body: `{"model":"${model}","max_tokens":64${extra},"messages":[{"role":"user","content":"hi"}]}`,
  });
}

const PROMPT_TOO_LONG = {
  type: 'error',
  error: {
    type: 'invalid_request_error',
    message: 'prompt is too long: 215312 tokens > 200000 maximum',
  },
};

describe('Messages: a native target’s 4xx as the vendor wrote it', () => {
  it('answers Anthropic’s 400 body and status, read by the SDK as BadRequestError', async () => {
    anthropic.failNext({ kind: 'context-length' });
    const response = await rawMessages('claude');
    expect(response.status).toBe(400);
    // The vendor's own body: its request id says who wrote it.
    const body = (await response.json()) as { request_id?: string };
    expect(body).toMatchObject(PROMPT_TOO_LONG);
    expect(body.request_id).toMatch(/^req_mock/);
    anthropic.failNext({ kind: 'context-length' });
    const error = await messages.messages
      .create({ model: 'claude', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject(PROMPT_TOO_LONG);
  });

  it('answers Anthropic’s 429 when it ends the request, as a RateLimitError; streams too', async () => {
    anthropic.failNext({ kind: 'rate-limited', retryAfterMs: 2000 });
    const error = await messages.messages
      .stream({ model: 'claude', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const vendor = (error as InstanceType<typeof Anthropic.APIError>).error as {
      error: { type: string; message: string };
    };
    expect(vendor.error.type).toBe('rate_limit_error');
    expect(vendor.error.message).toContain('rate limit');
  });

  it('is no error at all when a fallback answers', async () => {
    anthropic.failNext({ kind: 'rate-limited', retryAfterMs: 100 });
    const message = await messages.messages.create({
      model: 'claude-or-gpt',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'rescued' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });
  });

  it('keeps the gateway’s envelope for the vendor’s 5xx and credential errors', async () => {
    anthropic.failNext({ kind: 'server-error' });
    const server = await rawMessages('claude');
    expect(server.status).toBeGreaterThanOrEqual(500);
    const serverBody = (await server.json()) as Record<string, unknown>;
    expect(serverBody).not.toHaveProperty('request_id');
    expect(JSON.stringify(serverBody)).toContain('No healthy providers available');
    anthropic.failNext({ kind: 'auth' });
    const auth = await rawMessages('claude');
    expect(auth.status).toBeGreaterThanOrEqual(500);
    const authBody = (await auth.json()) as Record<string, unknown>;
    expect(authBody).not.toHaveProperty('request_id');
    expect(JSON.stringify(authBody)).not.toContain('ant-key');
  });

  it('keeps the gateway’s envelope for its own errors', async () => {
    const response = await rawMessages('claude', ',"temperature":"hot"');
    expect(response.status).toBe(400);
    expect(anthropic.requests).toHaveLength(0);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
  });

  it('answers Bedrock’s 400 in the Messages envelope with Bedrock’s own words', async () => {
    const response = await rawMessages('bedrock-claude', ',"anthropic_version":"bogus"');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'Malformed input request: #: required key [anthropic_version] not found',
      },
    });
  });
});

describe('Responses: a native target’s 4xx as the vendor wrote it', () => {
  it('answers OpenAI’s 400 body and status, read by the SDK as BadRequestError', async () => {
    openai.failNext({ kind: 'context-length' });
    const raw = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'gpt', input: 'hi' }),
    });
    expect(raw.status).toBe(400);
    const vendorBody = (await raw.json()) as { error: { code: string; message: string } };
    expect(vendorBody.error.code).toBe('context_length_exceeded');
    expect(vendorBody.error.message).not.toContain('The request was rejected');
    openai.failNext({ kind: 'context-length' });
    const error = await responses.responses
      .create({ model: 'gpt', input: 'hi', stream: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toEqual(vendorBody.error);
  });

  it('keeps the gateway’s envelope for the vendor’s 5xx', async () => {
    openai.failNext({ kind: 'server-error' });
    const error = await responses.responses
      .create({ model: 'gpt', input: 'hi' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).type).toBe('upstream_error');
  });
});
