// The Responses API passed through to vendors that speak it (the OpenAI and Azure mocks): the
// client's bytes reach the vendor with only the model replaced, the vendor's body and events
// come back as they were, and a conversation falls over to a translated provider with the items
// the gateway stored.
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  startAnthropicMock,
  startOpenAIMock,
  validateOpenAIResponses,
  type MockServer,
  type OpenAIMock,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-responses-native-key';
let openai: OpenAIMock;
let azure: OpenAIMock;
let anthropic: MockServer;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  [openai, azure, anthropic] = await Promise.all([
    startOpenAIMock({ apiKey: 'openai-key', models: ['gpt-real'] }),
    startOpenAIMock({ apiKey: 'azure-key', flavor: 'azure', models: ['my-deployment'] }),
    startAnthropicMock({ apiKey: 'anthropic-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'openai', name: 'OpenAI', type: 'openai', endpoint: openai.url, apiKey: 'openai-key' },
      {
        id: 'azure',
        name: 'Azure',
        type: 'azure',
        endpoint: azure.url,
        apiKey: 'azure-key',
        config: { azureApiStyle: 'v1' },
      },
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
    ],
    routes: [
      { name: 'openai', targets: [{ provider: 'openai', model: 'gpt-real' }] },
      { name: 'azure', targets: [{ provider: 'azure', model: 'my-deployment' }] },
      {
        name: 'mixed',
        targets: [
          { provider: 'openai', model: 'gpt-real' },
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        ],
      },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
    circuitBreaker: { consecutiveFailures: 10, cooldownMs: 1000 },
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
  await Promise.all([openai.close(), azure.close(), anthropic.close()]);
  await closeHttpAgent();
});

beforeEach(() => {
  openai.reset();
  azure.reset();
  anthropic.reset();
});

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function post(body: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body,
  });
}

describe('native Responses pass-through', () => {
  it('forwards the client bytes with only the model replaced, and returns the vendor body', async () => {
    const body =
      '{ "model" : "openai",\n  "input": [{"role":"user","content":"exact bytes"}],  "prompt_cache_key":"pc-1", "client_metadata":{"a":"b"}, "include":["reasoning.encrypted_content"] }';
    const answer = await post(body);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-provider')).toBe('openai');
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]?.url).toBe('/v1/responses');
    expect(openai.requests[0]?.rawBody).toBe(body.replace('"openai"', '"gpt-real"'));
    expect(openai.requests[0]?.headers.authorization).toBe('Bearer openai-key');
    const json = (await answer.json()) as { id: string; model: string };
    expect(json.id).toMatch(/^resp_mock/);
    expect(json.model).toBe('gpt-real');
    expect(validateOpenAIResponses('Response', json).errors).toBe('');
  });

  it('streams the vendor frames as they came', async () => {
    const events = await collect(
      await client.responses.create({ model: 'openai', input: 'native stream', stream: true }),
    );
    for (const event of events)
      expect(validateOpenAIResponses('ResponseStreamEvent', event).errors).toBe('');
    expect(events.at(-1)?.type).toBe('response.completed');
    const created = events[0];
    expect(created?.type === 'response.created' && created.response.id).toMatch(/^resp_mock/);
    expect(openai.requests[0]?.body).toMatchObject({ model: 'gpt-real', stream: true });
  });

  it('passes Azure calls to /openai/v1/responses with the api-key header', async () => {
    const response = await client.responses.create({ model: 'azure', input: 'azure native' });
    expect(response.output_text).toBe('Echo: azure native');
    expect(azure.requests[0]?.url).toBe('/openai/v1/responses');
    expect(azure.requests[0]?.headers['api-key']).toBe('azure-key');
    expect(azure.requests[0]?.body).toMatchObject({ model: 'my-deployment' });
  });

  it('forwards a follow-up naming a native response to the vendor that holds it', async () => {
    const first = await client.responses.create({ model: 'openai', input: 'first native' });
    const second = await client.responses.create({
      model: 'openai',
      previous_response_id: first.id,
      input: 'second native',
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(openai.requests[1]?.body).toMatchObject({ previous_response_id: first.id });
    const retrieved = await client.responses.retrieve(second.id);
    expect(retrieved.output_text).toBe('Echo: second native');
  });

  it('falls over from the native target to a translated one with the stored items', async () => {
    const first = await client.responses.create({ model: 'mixed', input: 'remember green' });
    expect(first.id).toMatch(/^resp_mock/);
    openai.failNext({ kind: 'server-error', status: 500 });
    const { data: second, response } = await client.responses
      .create({ model: 'mixed', previous_response_id: first.id, input: 'which colour?' })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('anthropic');
    expect(second.output_text).toBe('Echo: which colour?');
    const sent = JSON.stringify(anthropic.requests.at(-1)?.body);
    expect(sent).toContain('remember green');
    expect(sent).toContain('Echo: remember green');
  });

  it('ends a native stream cut midway with response.failed, numbered after the vendor events', async () => {
    openai.failNext({ kind: 'cut-stream', afterChunks: 2 });
    const events = await collect(
      await client.responses.create({ model: 'openai', input: 'a b c d e f', stream: true }),
    );
    const last = events.at(-1);
    expect(last?.type).toBe('response.failed');
    expect(events.some((event) => event.type === 'response.completed')).toBe(false);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const created = events[0];
    expect(last?.type === 'response.failed' && last.response.id).toBe(
      created?.type === 'response.created' ? created.response.id : 'none',
    );
    for (const event of events)
      expect(validateOpenAIResponses('ResponseStreamEvent', event).errors).toBe('');
  });
});
