// Responses streams through the gateway when an upstream fails: a cut after the first delta is
// continued on a target that accepts a prefill, or, with continuation off, ends in
// `response.failed` (never `response.completed`); a failure before any output fails over to the
// next target without the client seeing it.
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  validateOpenAIResponses,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-responses-stream-key';
let local: MockServer;
let anthropic: MockServer;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  [local, anthropic] = await Promise.all([
    startOpenAIMock({ flavor: 'lmstudio', behaviour: { streamChunks: 4 } }),
    startAnthropicMock({ apiKey: 'anthropic-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'local', name: 'Local', type: 'lmstudio', endpoint: local.url },
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
    ],
    routes: [
      {
        name: 'chain',
        targets: [
          { provider: 'local', model: 'qwen-local' },
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        ],
      },
      {
        name: 'chain-no-continuation',
        continuation: false,
        targets: [
          { provider: 'local', model: 'qwen-local' },
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        ],
      },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new OpenAI({
    baseURL: `${gateway.url}/v1`,
    apiKey: KEY,
    maxRetries: 0,
    timeout: 10_000,
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([local.close(), anthropic.close()]);
  await closeHttpAgent();
});

beforeEach(() => {
  local.reset();
  anthropic.reset();
});

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function expectAllValid(events: readonly ResponseStreamEvent[]): void {
  for (const event of events)
    expect(validateOpenAIResponses('ResponseStreamEvent', event).errors).toBe('');
}

describe('Responses streams when the upstream fails', () => {
  it('continues a stream cut after the first delta on a target that accepts a prefill', async () => {
    local.failNext({ kind: 'cut-stream', afterChunks: 1 });
    const events = await collect(
      await client.responses.create({ model: 'chain', input: 'one two three four', stream: true }),
    );
    expectAllValid(events);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'response.created')).toHaveLength(1);
    expect(types.at(-1)).toBe('response.completed');
    expect(types).not.toContain('response.failed');
    // The continuation went to Anthropic with the text already shown as the assistant's turn.
    expect(anthropic.requests).toHaveLength(1);
    const sent = anthropic.requests[0]?.body as { messages: Array<{ role: string }> };
    expect(sent.messages.at(-1)?.role).toBe('assistant');
  });

  it('ends a stream cut after the first delta with response.failed when continuation is off', async () => {
    local.failNext({ kind: 'cut-stream', afterChunks: 1 });
    const events = await collect(
      await client.responses.create({
        model: 'chain-no-continuation',
        input: 'one two three four',
        stream: true,
      }),
    );
    expectAllValid(events);
    const types = events.map((event) => event.type);
    expect(types).toContain('response.output_text.delta');
    expect(types.at(-1)).toBe('response.failed');
    expect(types).not.toContain('response.completed');
    const failed = events.at(-1);
    expect(failed?.type === 'response.failed' && failed.response.error?.code).toBe('server_error');
    expect(anthropic.requests).toHaveLength(0);
  });

  it('fails over before the first output, invisibly to the client', async () => {
    local.failNext({ kind: 'cut-stream', afterChunks: 0 });
    const { data: stream, response } = await client.responses
      .create({ model: 'chain', input: 'fail over please', stream: true })
      .withResponse();
    const events = await collect(stream);
    expectAllValid(events);
    expect(response.headers.get('x-switchyard-provider')).toBe('anthropic');
    expect(events.filter((event) => event.type === 'response.created')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('response.completed');
    const text = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(text.join('')).toBe('Echo: fail over please');
    expect(local.requests).toHaveLength(1);
  });

  it('fails over on an upstream error status before the stream opens', async () => {
    local.failNext({ kind: 'server-error', status: 500 });
    const stream = client.responses.stream({ model: 'chain', input: 'second try' });
    const final = await stream.finalResponse();
    expect(final.status).toBe('completed');
    expect(JSON.stringify(final.output)).toContain('Echo: second try');
  });
});
