// Stored Responses API answers shared through Redis by file-mode gateways: a response created on
// one instance is retrieved, listed, followed up and deleted on another (through the official
// OpenAI SDK, translated onto the Anthropic mock), and Redis going away costs no request.
import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import type { StoredResponse } from '@switchyard/core';
import {
  noRedisServer,
  startAnthropicMock,
  startTestRedis,
  startTestRedisCluster,
  type AnthropicMock,
  type TestRedis,
  type TestRedisCluster,
} from '@switchyard/testkit';
import type { GatewayRuntime } from '../runtime.ts';
import { RedisResponseStore } from './redis-response-store.ts';
import { RedisState } from './redis-state.ts';
import { startFleet, stateStoreUp, waitFor, type Fleet } from './test-support/fleet.ts';

const KEY = 'sk-sy-stored-responses-key-1';
const OTHER_KEY = 'sk-sy-stored-responses-key-2';

let anthropic: AnthropicMock;

const config = () => ({
  providers: [
    {
      id: 'anthropic',
      name: 'Anthropic',
      type: 'anthropic',
      endpoint: anthropic.url,
      apiKey: 'anthropic-key',
    },
  ],
  routes: [{ name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] }],
  keys: [
    { name: 'owner', key: KEY },
    { name: 'other', key: OTHER_KEY },
  ],
});

/** The SDK talking to one in-process gateway through its Fetch handler. */
function clientOf(runtime: GatewayRuntime, apiKey = KEY): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: 'http://gateway/v1',
    maxRetries: 0,
    fetch: (input: string | URL | Request, init?: RequestInit) =>
      runtime.handle(new Request(input, init)),
  });
}

function lastMessages(): string {
  return JSON.stringify((anthropic.requests.at(-1)?.body as { messages?: unknown }).messages);
}

function storeLines(lines: string[], text: string): number {
  return lines.filter((line) => line.includes(text)).length;
}

beforeAll(async () => {
  anthropic = await startAnthropicMock({ apiKey: 'anthropic-key' });
});
afterAll(async () => {
  await anthropic.close();
  await closeHttpAgent();
});

describe.skipIf(noRedisServer)('two gateways on one Redis', () => {
  let redis: TestRedis;
  let fleet: Fleet;
  let first: OpenAI;
  let second: OpenAI;

  beforeAll(async () => {
    redis = await startTestRedis();
    fleet = await startFleet(config(), { REDIS_URL: redis.url }, 'redis', 2);
    first = clientOf(fleet.runtimes[0]!);
    second = clientOf(fleet.runtimes[1]!);
  });
  afterAll(async () => {
    await fleet.close();
    await redis.stop();
  });

  it('retrieve, list input items of, follow up on and delete a response made by the other', async () => {
    const created = await first.responses.create({ model: 'claude', input: 'my name is Ada' });
    expect(created.output_text).toBe('Echo: my name is Ada');

    const retrieved = await second.responses.retrieve(created.id);
    expect(retrieved.id).toBe(created.id);
    expect(retrieved.output_text).toBe('Echo: my name is Ada');

    const items = await second.responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expect(JSON.stringify(items.data[0])).toContain('my name is Ada');

    const followUp = await second.responses.create({
      model: 'claude',
      previous_response_id: created.id,
      input: 'what is my name?',
    });
    expect(followUp.output_text).toBe('Echo: what is my name?');
    // The upstream saw the conversation kept by the other instance.
    const sent = lastMessages();
    expect(sent).toContain('my name is Ada');
    expect(sent).toContain('Echo: my name is Ada');

    await second.responses.delete(created.id);
    await expect(first.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(second.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    // The follow-up itself is still there, on both.
    expect((await first.responses.retrieve(followUp.id)).output_text).toBe(
      'Echo: what is my name?',
    );
  });

  it('keep a response readable only by the key that created it, on every instance', async () => {
    const created = await first.responses.create({ model: 'claude', input: 'private' });
    const stranger = clientOf(fleet.runtimes[1]!, OTHER_KEY);
    await expect(stranger.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(stranger.responses.delete(created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await second.responses.retrieve(created.id)).output_text).toBe('Echo: private');
  });

  it('share a streamed response once its stream has completed', async () => {
    const stream = first.responses.stream({ model: 'claude', input: 'streamed and kept' });
    const final = await stream.finalResponse();
    const retrieved = await second.responses.retrieve(final.id);
    expect(retrieved.output_text).toBe('Echo: streamed and kept');
  });

  it('keep nothing with store: false', async () => {
    const created = await first.responses.create({
      model: 'claude',
      input: 'forget me',
      store: false,
    });
    await expect(second.responses.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe.skipIf(noRedisServer)('Redis away', () => {
  it('create, retrieve and follow up on one instance still work, and sharing resumes', async () => {
    const redis = await startTestRedis();
    const fleet = await startFleet(config(), { REDIS_URL: redis.url }, 'redis', 2);
    try {
      const [one, two] = fleet.runtimes as [GatewayRuntime, GatewayRuntime];
      const client = clientOf(one);
      await redis.stop();

      const created = await client.responses.create({ model: 'claude', input: 'during outage' });
      expect(created.output_text).toBe('Echo: during outage');
      expect((await client.responses.retrieve(created.id)).output_text).toBe('Echo: during outage');
      const followUp = await client.responses.create({
        model: 'claude',
        previous_response_id: created.id,
        input: 'still there?',
      });
      expect(followUp.output_text).toBe('Echo: still there?');
      expect(lastMessages()).toContain('during outage');
      const logs = fleet.logs[0]!;
      expect(storeLines(logs, 'stored responses: Redis unavailable')).toBe(1);

      await redis.start();
      await waitFor(async () => (await stateStoreUp(one, 'redis')) === 1);
      await waitFor(async () => (await stateStoreUp(two, 'redis')) === 1);
      // What was kept locally during the outage stays readable where it was made.
      expect((await client.responses.retrieve(created.id)).output_text).toBe('Echo: during outage');
      const shared = await client.responses.create({ model: 'claude', input: 'after outage' });
      expect((await clientOf(two).responses.retrieve(shared.id)).output_text).toBe(
        'Echo: after outage',
      );
      expect(storeLines(logs, 'stored responses: kept in Redis again')).toBe(1);
      expect(storeLines(logs, 'stored responses: Redis unavailable')).toBe(1);
    } finally {
      await fleet.close();
      await redis.stop();
    }
  });
});

describe.skipIf(noRedisServer)('RedisResponseStore', () => {
  let redis: TestRedis;
  let state: RedisState;
  const warnings: string[] = [];

  const record = (id: string, text = 'hello'): StoredResponse => ({
    id,
    keyId: 'owner',
    createdAt: 1_700_000_000_000,
    response: { id, object: 'response', output: [{ type: 'message', content: text }] },
    inputItems: [{ id: 'msg_1', type: 'message', role: 'user', content: text }],
    history: [],
    nativeProvider: 'openai',
  });

  beforeAll(async () => {
    redis = await startTestRedis();
    state = new RedisState({
      target: { kind: 'redis', url: redis.url },
      log: { info: () => undefined, warn: () => undefined },
    });
    await waitFor(() => Promise.resolve(state.reachable));
  });
  afterAll(async () => {
    await state.close();
    await redis.stop();
  });

  const store = (options: { ttlMs?: number; maxRecordBytes?: number } = {}) =>
    new RedisResponseStore({
      redis: state,
      log: { info: () => undefined, warn: (message) => warnings.push(message) },
      ...options,
    });

  it('round-trips a record, with a TTL, under a hash-tagged key', async () => {
    await store({ ttlMs: 60_000 }).put(record('resp_a'));
    expect(await store().get('resp_a')).toEqual(record('resp_a'));
    const ttl = await state.commands.pttl('switchyard:{response:resp_a}');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('deletes once, and reads a missing or unreadable value as absent', async () => {
    await store().put(record('resp_b'));
    expect(await store().delete('resp_b')).toBe(true);
    expect(await store().delete('resp_b')).toBe(false);
    expect(await store().get('resp_b')).toBeUndefined();
    await state.commands.set('switchyard:{response:resp_c}', '{not json');
    expect(await store().get('resp_c')).toBeUndefined();
  });

  it('refuses a record over the size bound with a warning, without failing', async () => {
    const big = record('resp_big', 'x'.repeat(4_096));
    await expect(store({ maxRecordBytes: 1_024 }).put(big)).resolves.toBeUndefined();
    expect(await store().get('resp_big')).toBeUndefined();
    expect(warnings.some((line) => line.includes('resp_big') && line.includes('1024'))).toBe(true);
    await store({ maxRecordBytes: 1_024 }).put(record('resp_small'));
    expect(await store().get('resp_small')).toEqual(record('resp_small'));
  });
});

describe.skipIf(noRedisServer)('RedisResponseStore on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let state: RedisState;

  beforeAll(async () => {
    cluster = await startTestRedisCluster();
    state = new RedisState({
      target: { kind: 'cluster', nodes: cluster.nodes },
      log: { info: () => undefined, warn: () => undefined },
    });
    await waitFor(() => Promise.resolve(state.reachable), 10_000);
  }, 30_000);
  afterAll(async () => {
    await state.close();
    await cluster.stop();
  });

  it('keeps records spread over the slots, each read and deleted whole', async () => {
    const store = new RedisResponseStore({
      redis: state,
      log: { info: () => undefined, warn: () => undefined },
    });
    const ids = Array.from({ length: 12 }, (_, index) => `resp_cluster_${index}`);
    const record = (id: string): StoredResponse => ({
      id,
      keyId: null,
      createdAt: 1_700_000_000_000,
      response: { id, object: 'response', output: [] },
      inputItems: [],
      history: [{ id: 'msg_0', type: 'message', role: 'user', content: id }],
    });
    await Promise.all(ids.map((id) => store.put(record(id))));
    for (const id of ids) expect(await store.get(id)).toEqual(record(id));
    const slots = await Promise.all(
      ids.map(
        (id) =>
          state.commands.call(
            'CLUSTER',
            'KEYSLOT',
            `switchyard:{response:${id}}`,
          ) as Promise<number>,
      ),
    );
    expect(new Set(slots).size).toBeGreaterThan(1);
    for (const id of ids) expect(await store.delete(id)).toBe(true);
    expect(await store.get(ids[0]!)).toBeUndefined();
  });
});
