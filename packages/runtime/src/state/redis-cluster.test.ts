// The fleet's exact limits and shared cache on a three-node Redis Cluster started here: every
// multi-key script stays on one slot (hash tags), and the cluster wins over REDIS_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { parseConfig } from '@switchyard/core';
import {
  noRedisServer,
  startOpenAIMock,
  startTestRedisCluster,
  type OpenAIMock,
  type TestRedisCluster,
} from '@switchyard/testkit';
import { createGatewayRuntime } from '../runtime.ts';
import {
  ask,
  crossBudgetOnFleet,
  askStream,
  provider,
  startFleet,
  stateStoreUp,
  streamedContent,
  waitFor,
} from './test-support/fleet.ts';

let cluster: TestRedisCluster;
let primary: OpenAIMock;
let backup: OpenAIMock;

beforeAll(async () => {
  [cluster, primary, backup] = await Promise.all([
    startTestRedisCluster(),
    startOpenAIMock(),
    startOpenAIMock(),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([primary.close(), backup.close(), cluster.stop()]);
  await closeHttpAgent();
});

const fleet = (config: Record<string, unknown>) =>
  startFleet(
    config,
    // REDIS_URL points nowhere: the cluster must win.
    { REDIS_CLUSTER_NODES: cluster.nodes.join(','), REDIS_URL: 'redis://127.0.0.1:9' },
    'redis-cluster',
  );

describe.skipIf(noRedisServer)('three gateways on a Redis Cluster', () => {
  it('admit exactly 30 of 60 requests for a key limited to 30 per minute', async () => {
    const key = 'sk-sy-cluster-rpm-key-0001';
    const { runtimes, logs, close } = await fleet({
      providers: [provider('cluster-p', primary)],
      keys: [{ name: 'rpm', key, limits: { requestsPerMinute: 30 } }],
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, index) => ask(runtimes[index % 3]!, key)),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(30);
      expect(answers.filter((answer) => answer.status === 429)).toHaveLength(30);
      expect(logs[0]?.some((line) => line.includes('the cluster is used'))).toBe(true);
    } finally {
      await close();
    }
  });

  it('refuse a key on every instance once one crossed its budget, reserving it at admission', async () => {
    // The reservation lets exactly one first request past the budget; its cost (a dollar per
    // input token) crosses it, and every instance refuses afterwards.
    const { first, after } = await crossBudgetOnFleet(
      fleet,
      primary,
      'sk-sy-cluster-budget-key-1',
      'cluster-budget-p',
    );
    expect(first.filter((status) => status === 200)).toHaveLength(1);
    expect(after).toEqual([429, 429, 429]);
  });

  it('hold a provider limited to 20 requests per minute and to 2 at once', async () => {
    primary.reset();
    backup.reset();
    primary.behaviour = { latencyMs: 300 };
    const { runtimes, close } = await fleet({
      providers: [
        provider('cluster-narrow', primary, {
          priority: 1,
          limits: { requestsPerMinute: 20, maxConcurrency: 2 },
        }),
        provider('cluster-wide', backup, { priority: 2 }),
      ],
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, index) => ask(runtimes[index % 3]!, undefined)),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(primary.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
      expect(backup.requests.filter((request) => request.method === 'POST')).toHaveLength(7);
    } finally {
      primary.behaviour = {};
      await close();
    }
  });

  it('admit as many requests under a tokens-per-minute limit as one gateway would', async () => {
    const key = 'sk-sy-cluster-tpm-key-0001';
    const config = {
      providers: [provider('cluster-tpm', primary)],
      keys: [{ name: 'tpm', key, limits: { tokensPerMinute: 120 } }],
    };
    const prompt = 'count these words please, all of them';
    const bounded = { max_tokens: 20 };
    const single = await createGatewayRuntime({
      config: parseConfig(config, defaultDefinitions),
      monitorHealth: false,
      logger: pino({ level: 'silent' }),
      environment: {},
    });
    let alone = 0;
    try {
      for (let index = 0; index < 20; index++)
        if ((await ask(single, key, prompt, bounded)).status === 200) alone++;
    } finally {
      await single.close();
    }
    expect(alone).toBeGreaterThan(1);
    expect(alone).toBeLessThan(20);
    const { runtimes, close } = await fleet(config);
    try {
      let together = 0;
      for (let index = 0; index < 20; index++)
        if ((await ask(runtimes[index % 3]!, key, prompt, bounded)).status === 200) together++;
      expect(together).toBe(alone);
    } finally {
      await close();
    }
  });

  it('answer from the cache on one instance what another cached, as JSON and as a stream', async () => {
    primary.reset();
    const { runtimes, close } = await fleet({
      providers: [provider('cluster-cached', primary)],
      cache: { enabled: true },
    });
    try {
      expect((await ask(runtimes[0]!, undefined, 'a cluster question')).status).toBe(200);
      const first = await askStream(runtimes[0]!, undefined, 'a cluster stream');
      const content = streamedContent(first.text);
      expect(content).toContain('a cluster stream');
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const runtime of runtimes.slice(1)) {
        const answer = await ask(runtime, undefined, 'a cluster question');
        expect(answer.headers.get('x-switchyard-cache')).toBe('hit');
        const replay = await askStream(runtime, undefined, 'a cluster stream');
        expect(replay.response.headers.get('x-switchyard-cache')).toBe('hit');
        expect(streamedContent(replay.text)).toBe(content);
      }
      expect(primary.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    } finally {
      await close();
    }
  });

  it('read 0 on the gauge while one master is down, and keep serving', async () => {
    const key = 'sk-sy-cluster-outage-key-1';
    const { runtimes, close } = await fleet({
      providers: [provider('cluster-outage', primary)],
      keys: [{ name: 'outage', key, limits: { requestsPerMinute: 1_000 } }],
    });
    try {
      await cluster.stopNode(1);
      await waitFor(async () =>
        (
          await Promise.all(runtimes.map((runtime) => stateStoreUp(runtime, 'redis-cluster')))
        ).every((up) => up === 0),
      );
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, index) => ask(runtimes[index % 3]!, key)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(9).fill(200));
    } finally {
      await close();
    }
  });
});
