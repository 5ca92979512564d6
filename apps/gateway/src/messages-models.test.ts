// `GET /v1/models` and `/v1/models/{id}` for callers speaking the Anthropic API (they send
// `anthropic-version`): Anthropic's model shape and its error envelope, read by @anthropic-ai/sdk.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startOpenAIMock, type MockServer } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-messages-models-key';
let upstream: MockServer;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startOpenAIMock({ apiKey: 'k1' });
  gateway = await startTestGateway({
    providers: [
      { id: 'first', name: 'First', type: 'openai', endpoint: upstream.url, apiKey: 'k1' },
    ],
    routes: [{ name: 'chat', targets: [{ provider: 'first', model: 'gpt-4o-mini' }] }],
    keys: [{ name: 'app', key: KEY }],
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await closeHttpAgent();
});

describe('GET /v1/models/{id} with anthropic-version', () => {
  it('retrieves a route in Anthropic’s model shape', async () => {
    const model = await client.models.retrieve('chat');
    expect(model).toMatchObject({ type: 'model', id: 'chat', display_name: 'chat' });
    expect(Number.isNaN(Date.parse(model.created_at))).toBe(false);
  });

  it('answers an unknown id with a 404 in Anthropic’s envelope', async () => {
    const error = await client.models.retrieve('no-such-model').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    const response = await fetch(`${gateway.url}/v1/models/no-such-model`, {
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: no-such-model' },
    });
  });

  it('refuses a bad key in Anthropic’s envelope, on the list and on one model', async () => {
    const stranger = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-sy-wrong', maxRetries: 0 });
    await expect(stranger.models.retrieve('chat')).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    const response = await fetch(`${gateway.url}/v1/models`, {
      headers: { 'x-api-key': 'sk-sy-wrong', 'anthropic-version': '2023-06-01' },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'authentication_error',
    );
  });

  it('keeps OpenAI’s shape and envelope without the header', async () => {
    const found = await fetch(`${gateway.url}/v1/models/chat`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(await found.json()).toMatchObject({ id: 'chat', object: 'model' });
    const missing = await fetch(`${gateway.url}/v1/models/nope`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'model_not_found',
    );
  });
});
