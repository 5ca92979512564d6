// Follow-up affinity: a response created natively at one OpenAI provider is named (by
// `previous_response_id`) only to that provider, which is tried first whatever the route's
// strategy; when it fails, the follow-up goes elsewhere with the stored items instead.
import { OpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-affinity-key';
let east: OpenAIMock;
let west: OpenAIMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  [east, west] = await Promise.all([
    startOpenAIMock({ apiKey: 'east-key' }),
    startOpenAIMock({ apiKey: 'west-key' }),
  ]);
  gateway = await startTestGateway({
    providers: [
      { id: 'east', name: 'East', type: 'openai', endpoint: east.url, apiKey: 'east-key' },
      { id: 'west', name: 'West', type: 'openai', endpoint: west.url, apiKey: 'west-key' },
    ],
    routes: [
      {
        name: 'pair',
        strategy: 'round-robin',
        targets: [
          { provider: 'east', model: 'gpt-real' },
          { provider: 'west', model: 'gpt-real' },
        ],
      },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
    circuitBreaker: { consecutiveFailures: 100, cooldownMs: 1000 },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

beforeEach(() => {
  east.reset();
  west.reset();
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([east.close(), west.close()]);
  await closeHttpAgent();
});

function mockOf(provider: string | null): OpenAIMock {
  return provider === 'east' ? east : west;
}

describe('previous_response_id affinity between two OpenAI providers', () => {
  it('sends every follow-up to the provider that holds the previous response', async () => {
    const { data: first, response } = await client.responses
      .create({ model: 'pair', input: 'remember blue' })
      .withResponse();
    const holder = response.headers.get('x-switchyard-provider');
    let previous = first.id;
    // Round-robin alone would alternate: each follow-up stays with the holder instead.
    for (const input of ['which colour?', 'and again?', 'once more?']) {
      const { data, response: served } = await client.responses
        .create({ model: 'pair', previous_response_id: previous, input })
        .withResponse();
      expect(served.headers.get('x-switchyard-provider')).toBe(holder);
      // Forwarded natively, naming the id the holder gave.
      const sent = mockOf(holder).requests.at(-1);
      expect(sent?.url).toBe('/v1/responses');
      expect(sent?.body).toMatchObject({ previous_response_id: previous });
      previous = data.id;
    }
    const other = holder === 'east' ? west : east;
    expect(other.requests).toHaveLength(0);
  });

  it('fails over to the other provider with the stored items, not the foreign id', async () => {
    const { data: first, response } = await client.responses
      .create({ model: 'pair', input: 'remember green' })
      .withResponse();
    const holder = response.headers.get('x-switchyard-provider');
    const other = holder === 'east' ? 'west' : 'east';
    mockOf(holder).failNext({ kind: 'server-error', status: 500 });
    const { data: second, response: served } = await client.responses
      .create({ model: 'pair', previous_response_id: first.id, input: 'which colour?' })
      .withResponse();
    expect(served.headers.get('x-switchyard-provider')).toBe(other);
    expect(second.output_text).toContain('which colour?');
    const sent = mockOf(other).requests.at(-1);
    // The other provider never saw the holder's response id: it got the conversation itself.
    expect(sent?.rawBody).not.toContain(first.id);
    expect(sent?.rawBody).toContain('remember green');
    expect(sent?.rawBody).toContain('Echo: remember green');
  });
});
