// Messages API streams under failure, through the Anthropic SDK: a failure before the first event
// fails over unseen, a cut after the first delta ends with `event: error` (never message_stop).
// Also the model list in Anthropic's shape.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startOpenAIMock, type MockServer } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-messages-stream-key';
let first: MockServer;
let second: MockServer;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  [first, second] = await Promise.all([
    startOpenAIMock({ apiKey: 'k1', behaviour: { streamChunks: 4 } }),
    startOpenAIMock({ apiKey: 'k2' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'first', name: 'First', type: 'openai', endpoint: first.url, apiKey: 'k1' },
      { id: 'second', name: 'Second', type: 'openai', endpoint: second.url, apiKey: 'k2' },
    ],
    routes: [
      {
        name: 'chat',
        targets: [
          { provider: 'first', model: 'gpt-4o-mini' },
          { provider: 'second', model: 'gpt-4o-mini' },
        ],
      },
      { name: 'solo', targets: [{ provider: 'first', model: 'gpt-4o-mini' }] },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
    circuitBreaker: { consecutiveFailures: 100, cooldownMs: 1000 },
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

beforeEach(() => {
  first.reset();
  second.reset();
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([first.close(), second.close()]);
  await closeHttpAgent();
});

async function rawStream(model: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model,
      max_tokens: 32,
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five' }],
    }),
  });
  return { status: response.status, text: await response.text() };
}

describe('Messages streams when a vendor fails', () => {
  it('fails over before the first event, unseen by the client', async () => {
    first.failNext({ kind: 'server-error', status: 503 });
    const stream = client.messages.stream({
      model: 'chat',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'fail over' }],
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Echo: fail over' }]);
    const response = await stream.withResponse();
    expect(response.response.headers.get('x-switchyard-provider')).toBe('second');
    expect(response.response.headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('a cut after the first delta ends with an error event, never message_stop', async () => {
    first.failNext({ kind: 'cut-stream', afterChunks: 1 });
    const { status, text } = await rawStream('solo');
    expect(status).toBe(200);
    expect(text).toContain('event: content_block_delta');
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"[a-z_]+"/);
    expect(text).not.toContain('event: message_stop');
    expect(text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error/);
    // the SDK surfaces it as an error, not a finished message
    first.failNext({ kind: 'cut-stream', afterChunks: 1 });
    const stream = client.messages.stream({
      model: 'solo',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'one two three four five' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(second.requests).toHaveLength(0);
  });

  it('a clean stream ends with message_delta and message_stop', async () => {
    const { text } = await rawStream('solo');
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('ping');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events).not.toContain('error');
  });
});

describe('GET /v1/models with anthropic-version', () => {
  it("lists the key's models in Anthropic's shape", async () => {
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['chat', 'solo']));
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: page.data[0]?.id });
  });

  it("keeps OpenAI's shape without the header", async () => {
    const response = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(((await response.json()) as { object: string }).object).toBe('list');
  });
});
