// Three gateways on one Redis (started here, on a free port): limits, budgets and provider
// quotas hold for the fleet exactly as for one instance, and Redis going away costs no request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { parseConfig } from '@switchyard/core';
import {
  noRedisServer,
  startOpenAIMock,
  startTestRedis,
  type OpenAIMock,
  type TestRedis,
} from '@switchyard/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '../runtime.ts';
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

let redis: TestRedis;
let primary: OpenAIMock;
let backup: OpenAIMock;

beforeAll(async () => {
  [redis, primary, backup] = await Promise.all([
    startTestRedis(),
    startOpenAIMock(),
    startOpenAIMock(),
  ]);
});
afterAll(async () => {
  await Promise.all([primary.close(), backup.close(), redis.stop()]);
  await closeHttpAgent();
});

const fleet = (config: Record<string, unknown>) =>
  startFleet(config, { REDIS_URL: redis.url }, 'redis');
const storeUp = (runtime: GatewayRuntime) => stateStoreUp(runtime, 'redis');

describe.skipIf(noRedisServer)('three gateways on one Redis', () => {
  it('admit exactly 30 of 60 requests for a key limited to 30 per minute, spread round-robin', async () => {
    const key = 'sk-sy-fleet-rpm-key-000001';
    const { runtimes, close } = await fleet({
      providers: [provider('rpm-p', primary)],
      keys: [{ name: 'rpm', key, limits: { requestsPerMinute: 30 } }],
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, index) => ask(runtimes[index % 3]!, key)),
      );
      const admitted = answers.filter((answer) => answer.status === 200);
      const refused = answers.filter((answer) => answer.status === 429);
      expect(admitted).toHaveLength(30);
      expect(refused).toHaveLength(30);
      for (const answer of refused) {
        const retryAfter = Number(answer.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
    } finally {
      await close();
    }
  });

  it('admit as many requests under a tokens-per-minute limit as one gateway would', async () => {
    const config = {
      providers: [provider('tpm-p', primary)],
      keys: [{ name: 'tpm', key: 'sk-sy-fleet-tpm-key-000001', limits: { tokensPerMinute: 120 } }],
    };
    const prompt = 'count these words please, all of them';
    // A small max_tokens keeps the estimate checked at admission close to what is used.
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
        if ((await ask(single, 'sk-sy-fleet-tpm-key-000001', prompt, bounded)).status === 200)
          alone++;
    } finally {
      await single.close();
    }
    expect(alone).toBeGreaterThan(1);
    expect(alone).toBeLessThan(20);
    const { runtimes, close } = await fleet(config);
    try {
      let together = 0;
      for (let index = 0; index < 20; index++)
        if (
          (await ask(runtimes[index % 3]!, 'sk-sy-fleet-tpm-key-000001', prompt, bounded))
            .status === 200
        )
          together++;
      expect(together).toBe(alone);
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
      'sk-sy-fleet-budget-key-01',
      'budget-p',
    );
    expect(first.filter((status) => status === 200)).toHaveLength(1);
    expect(after).toEqual([429, 429, 429]);
  });

  it('send a provider limited to 20 requests per minute at most 20 of 45, the rest to the fallback', async () => {
    primary.reset();
    backup.reset();
    const { runtimes, close } = await fleet({
      providers: [
        provider('limited', primary, { priority: 1, limits: { requestsPerMinute: 20 } }),
        provider('spare', backup, { priority: 2 }),
      ],
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 45 }, (_, index) => ask(runtimes[index % 3]!, undefined)),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(primary.requests.filter((request) => request.method === 'POST')).toHaveLength(20);
      expect(backup.requests.filter((request) => request.method === 'POST')).toHaveLength(25);
    } finally {
      await close();
    }
  });

  it('hold maxConcurrency 2 fleet-wide under 9 concurrent slow requests', async () => {
    primary.reset();
    backup.reset();
    primary.behaviour = { latencyMs: 400 };
    const { runtimes, close } = await fleet({
      providers: [
        provider('narrow', primary, { priority: 1, limits: { maxConcurrency: 2 } }),
        provider('wide', backup, { priority: 2 }),
      ],
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, index) => ask(runtimes[index % 3]!, undefined)),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(primary.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
      expect(backup.requests.filter((request) => request.method === 'POST')).toHaveLength(7);
      // Leases were given back: the next request goes to the narrow provider again.
      expect((await ask(runtimes[0]!, undefined)).headers.get('x-switchyard-provider')).toBe(
        'narrow',
      );
    } finally {
      primary.behaviour = {};
      await close();
    }
  });

  it('hold a key at maxConcurrency 2 fleet-wide, open streams included', async () => {
    primary.reset();
    primary.behaviour = { latencyMs: 400 };
    const key = 'sk-sy-fleet-concurrency-01';
    const { runtimes, close } = await fleet({
      providers: [provider('key-slots', primary)],
      keys: [{ name: 'slots', key, limits: { maxConcurrency: 2 } }],
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 9 }, (_, index) => ask(runtimes[index % 3]!, key)),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(2);
      const refused = answers.filter((answer) => answer.status === 429);
      expect(refused).toHaveLength(7);
      for (const answer of refused) expect(answer.headers.get('retry-after')).toBe('1');
      expect(primary.requests.filter((request) => request.method === 'POST')).toHaveLength(2);

      // Two streams still open, on two instances, hold both slots for the third.
      primary.behaviour = { streamChunks: 4, chunkIntervalMs: 150 };
      const open = await Promise.all(
        runtimes.slice(0, 2).map((runtime) =>
          runtime.handle(
            new Request('http://gateway/v1/chat/completions', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
              body: JSON.stringify({
                model: 'chat',
                stream: true,
                messages: [{ role: 'user', content: 'hi' }],
              }),
            }),
          ),
        ),
      );
      expect(open.map((answer) => answer.status)).toEqual([200, 200]);
      expect((await ask(runtimes[2]!, key)).status).toBe(429);
      await Promise.all(open.map((answer) => answer.arrayBuffer()));
      await waitFor(async () => (await ask(runtimes[2]!, key)).status === 200, 2_000);
    } finally {
      primary.behaviour = {};
      await close();
    }
  });

  it('keep serving with Redis stopped mid-run and share again within 5 s of its return', async () => {
    const key = 'sk-sy-fleet-outage-key-01';
    const limited = 'sk-sy-fleet-outage-key-02';
    const { runtimes, logs, close } = await fleet({
      providers: [provider('outage-p', primary)],
      keys: [
        { name: 'free', key },
        { name: 'limited', key: limited, limits: { requestsPerMinute: 6 } },
      ],
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await redis.stop();
      await waitFor(async () => (await Promise.all(runtimes.map(storeUp))).every((up) => up === 0));
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, index) => ask(runtimes[index % 3]!, key)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
      for (const lines of logs)
        expect(lines.filter((line) => line.includes('state store unavailable'))).toHaveLength(1);

      await redis.start();
      const back = await waitFor(
        async () => (await Promise.all(runtimes.map(storeUp))).every((up) => up === 1),
        5_000,
      );
      expect(back).toBeLessThan(5_000);
      for (const lines of logs)
        expect(lines.filter((line) => line.includes('state store connected')).length).toBe(2);
      const limitedAnswers = await Promise.all(
        Array.from({ length: 12 }, (_, index) => ask(runtimes[index % 3]!, limited)),
      );
      expect(limitedAnswers.filter((answer) => answer.status === 200)).toHaveLength(6);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await close();
    }
  });

  it('skip a provider whose circuit one instance opened, on every instance within a second', async () => {
    primary.reset();
    backup.reset();
    const { runtimes, close } = await fleet({
      providers: [
        provider('flaky', primary, { priority: 1 }),
        provider('steady', backup, { priority: 2 }),
      ],
      circuitBreaker: { consecutiveFailures: 2, cooldownMs: 60_000, maxCooldownMs: 60_000 },
    });
    try {
      primary.setFault({ kind: 'server-error' });
      const [first, ...others] = runtimes;
      // A server error counts against the provider-model circuit; it is open when not allowed.
      const open = (runtime: GatewayRuntime) =>
        !runtime.gateway.circuits.peek('flaky', 'gpt-4o-mini').allowed;
      for (let index = 0; index < 10 && !open(first!); index++)
        expect((await ask(first!, undefined)).status).toBe(200);
      expect(open(first!)).toBe(true);
      const seen = await waitFor(() => Promise.resolve(others.every(open)), 1_000);
      expect(seen).toBeLessThan(1_000);
      const reached = primary.requests.length;
      for (const runtime of others) {
        const answer = await ask(runtime, undefined);
        expect(answer.headers.get('x-switchyard-provider')).toBe('steady');
      }
      expect(primary.requests.length).toBe(reached);
    } finally {
      primary.setFault(null);
      await close();
    }
  });

  it('send a half-open circuit one probe from the whole fleet, and see its recovery everywhere', async () => {
    primary.reset();
    backup.reset();
    const { runtimes, close } = await fleet({
      providers: [
        provider('probed', primary, { priority: 1 }),
        provider('standby', backup, { priority: 2 }),
      ],
      retryAttempts: 0,
      circuitBreaker: { consecutiveFailures: 2, cooldownMs: 1_000, maxCooldownMs: 60_000 },
    });
    const posts = () => primary.requests.filter((request) => request.method === 'POST').length;
    const open = (runtime: GatewayRuntime) =>
      !runtime.gateway.circuits.peek('probed', 'gpt-4o-mini').allowed;
    const burst = () =>
      Promise.all(Array.from({ length: 9 }, (_, index) => ask(runtimes[index % 3]!, undefined)));
    try {
      primary.setFault({ kind: 'server-error' });
      const [first] = runtimes;
      for (let index = 0; index < 10 && !open(first!); index++) await ask(first!, undefined);
      await waitFor(() => Promise.resolve(runtimes.every(open)), 1_000);
      // The cooldown ends; a slow provider keeps the probe in flight while the others ask.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      primary.behaviour = { latencyMs: 200 };
      let before = posts();
      const failing = await burst();
      expect(failing.every((answer) => answer.status === 200)).toBe(true);
      expect(posts() - before).toBe(1);
      await waitFor(() => Promise.resolve(runtimes.every(open)), 1_000);

      // The failed probe doubled the cooldown; the next probe succeeds and closes every circuit.
      primary.setFault(null);
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      before = posts();
      const recovering = await burst();
      expect(recovering.every((answer) => answer.status === 200)).toBe(true);
      expect(posts() - before).toBe(1);
      await waitFor(() => Promise.resolve(runtimes.every((runtime) => !open(runtime))), 1_000);
      for (const runtime of runtimes)
        expect((await ask(runtime, undefined)).headers.get('x-switchyard-provider')).toBe('probed');
    } finally {
      primary.setFault(null);
      primary.behaviour = {};
      await close();
    }
  });

  it('spread 30 requests over a three-target round-robin route ten each, however they reach the fleet', async () => {
    const { runtimes, close } = await fleet({
      providers: ['rr-a', 'rr-b', 'rr-c'].map((id) => provider(id, primary)),
      routes: [
        {
          name: 'chat',
          strategy: 'round-robin',
          targets: [{ provider: 'rr-a' }, { provider: 'rr-b' }, { provider: 'rr-c' }],
        },
      ],
    });
    // Each instance reserves four positions ahead in the background (after a failed try, a
    // timer tries again), and one more after each request it routes. The route's counter in
    // Redis says when they are all in: the test waits for it, not for a guessed delay.
    const counter = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    const reservedTo = (count: number) =>
      waitFor(async () => Number(await counter.get('switchyard:cursor:chat')) >= count);
    try {
      await counter.connect();
      await reservedTo(12);
      const served = new Map<string, number>();
      for (let index = 0; index < 30; index++) {
        const answer = await ask(runtimes[index % 3]!, undefined);
        const by = answer.headers.get('x-switchyard-provider') ?? 'none';
        served.set(by, (served.get(by) ?? 0) + 1);
        await reservedTo(13 + index);
      }
      expect(Object.fromEntries(served)).toEqual({ 'rr-a': 10, 'rr-b': 10, 'rr-c': 10 });
    } finally {
      counter.disconnect();
      await close();
    }
  });

  it('follow a Retry-After cool-down one instance was given, on every instance', async () => {
    primary.reset();
    backup.reset();
    const { runtimes, close } = await fleet({
      providers: [
        provider('cooling', primary, { priority: 1 }),
        provider('warm', backup, { priority: 2 }),
      ],
    });
    try {
      primary.failNext({ kind: 'rate-limited', retryAfterMs: 30_000 });
      const [first, ...others] = runtimes;
      expect((await ask(first!, undefined)).headers.get('x-switchyard-provider')).toBe('warm');
      const reached = primary.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const runtime of others)
        expect((await ask(runtime, undefined)).headers.get('x-switchyard-provider')).toBe('warm');
      expect(primary.requests.length).toBe(reached);
    } finally {
      await close();
    }
  });

  it('answer from the cache on one instance what another instance cached', async () => {
    primary.reset();
    const { runtimes, close } = await fleet({
      providers: [provider('cached-p', primary)],
      cache: { enabled: true },
    });
    try {
      const first = await ask(runtimes[0]!, undefined, 'a question worth caching');
      expect(first.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const runtime of runtimes.slice(1)) {
        const answer = await ask(runtime, undefined, 'a question worth caching');
        expect(answer.headers.get('x-switchyard-cache')).toBe('hit');
      }
      expect(primary.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('replay on one instance a stream another instance cached', async () => {
    primary.reset();
    primary.behaviour = { streamChunks: 4 };
    const { runtimes, close } = await fleet({
      providers: [provider('stream-cached-p', primary)],
      cache: { enabled: true },
    });
    try {
      const first = await askStream(runtimes[0]!, undefined, 'a stream worth caching');
      expect(first.response.headers.get('x-switchyard-cache')).toBe('miss');
      const content = streamedContent(first.text);
      expect(content).toContain('a stream worth caching');
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const runtime of runtimes.slice(1)) {
        const replay = await askStream(runtime, undefined, 'a stream worth caching');
        expect(replay.response.headers.get('content-type')).toContain('text/event-stream');
        expect(replay.response.headers.get('x-switchyard-cache')).toBe('hit');
        expect(streamedContent(replay.text)).toBe(content);
        expect(replay.text.trim().endsWith('data: [DONE]')).toBe(true);
      }
      expect(primary.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    } finally {
      primary.behaviour = {};
      await close();
    }
  });
});
