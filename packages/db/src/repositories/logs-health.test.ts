import type { Clock } from '@switchyard/core';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';
import type { RequestLogInput } from './request-logs.ts';
import { pruneByRetention } from './retention.ts';

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const clock: Clock = { now: () => T0 + 3 * 60_000, sleep: () => Promise.resolve() };

function log(overrides: Partial<RequestLogInput>): RequestLogInput {
  return {
    createdAt: T0,
    requestId: 'req',
    status: 200,
    stream: false,
    attempts: 1,
    attemptTrail: [],
    latencyMs: 100,
    ...overrides,
  };
}

describe.each(testBackends())('request logs and health history on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, {
      definitions: defaultDefinitions,
      logger: silentLogger,
      clock,
    });
  });
  afterAll(() => test?.close());
  beforeEach(() => test.reset());

  it('stores a batch with its attempt trail and bodies, and skips a retried batch', async () => {
    const row = log({
      id: 'log-1',
      requestId: 'req-1',
      keyId: 'k1',
      route: 'default',
      provider: 'openai',
      model: 'gpt-4o-mini',
      stream: true,
      attempts: 2,
      attemptTrail: [
        {
          provider: 'local',
          model: 'llama',
          outcome: 'error',
          kind: 'connection',
          message: 'ECONNREFUSED',
          latencyMs: 3,
        },
        { provider: 'openai', model: 'gpt-4o-mini', outcome: 'success', latencyMs: 95 },
      ],
      firstTokenMs: 40,
      inputTokens: 12,
      outputTokens: 30,
      costUsd: 0.0001,
      cache: 'miss',
      requestBody: { messages: [{ role: 'user', content: 'hi' }] },
    });
    await repos.requestLogs.insertMany([row]);
    await repos.requestLogs.insertMany([row]);
    const stored = await repos.requestLogs.get('log-1');
    expect(stored).toEqual({ ...row, createdAt: new Date(T0) });
    expect((await repos.requestLogs.list({ limit: 10 })).items).toHaveLength(1);
  });

  it('keeps the dialect and the estimated-usage mark, and filters by dialect', async () => {
    await repos.requestLogs.insertMany([
      log({ id: 'chat-1', dialect: 'chat', inputTokens: 5, outputTokens: 7 }),
      log({
        id: 'messages-1',
        dialect: 'messages',
        inputTokens: 9,
        outputTokens: 25,
        usageEstimated: true,
      }),
      // Written before the columns existed: no dialect, reported usage.
      log({ id: 'older' }),
    ]);
    expect(await repos.requestLogs.get('messages-1')).toMatchObject({
      dialect: 'messages',
      usageEstimated: true,
      outputTokens: 25,
    });
    const chat = await repos.requestLogs.get('chat-1');
    expect(chat).toMatchObject({ dialect: 'chat' });
    expect(chat?.usageEstimated).toBeUndefined();
    const older = await repos.requestLogs.get('older');
    expect(older?.dialect).toBeUndefined();
    const messages = await repos.requestLogs.list({ limit: 10, dialect: 'messages' });
    expect(messages.items.map((item) => item.id)).toEqual(['messages-1']);
  });

  it('lists newest first with filters and a cursor that pages without gaps or repeats', async () => {
    const rows = Array.from({ length: 7 }, (_, index) =>
      log({
        id: `log-${index}`,
        createdAt: T0 + (index % 3) * 1000,
        provider: index % 2 ? 'openai' : 'local',
        status: index === 4 ? 502 : 200,
        errorKind: index === 4 ? 'server' : undefined,
      }),
    );
    rows.push(
      log({
        id: 'cut',
        createdAt: T0 + 5000,
        provider: 'openai',
        status: 200,
        errorKind: 'protocol',
      }),
    );
    await repos.requestLogs.insertMany(rows);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repos.requestLogs.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen[0]).toBe('cut');
    expect(
      (await repos.requestLogs.list({ limit: 50, status: 'error' })).items
        .map((item) => item.id)
        .sort(),
    ).toEqual(['cut', 'log-4']);
    expect((await repos.requestLogs.list({ limit: 50, status: 'success' })).items).toHaveLength(6);
    expect(
      (await repos.requestLogs.list({ limit: 50, provider: 'openai' })).items
        .map((item) => item.id)
        .sort(),
    ).toEqual(['cut', 'log-1', 'log-3', 'log-5']);
    expect(
      (await repos.requestLogs.list({ limit: 50, since: T0 + 1000, until: T0 + 2000 })).items
        .map((item) => item.id)
        .sort(),
    ).toEqual(['log-1', 'log-4']);
  });

  it('aggregates per bucket: requests, errors, percentiles, tokens and cost, with empty buckets', async () => {
    await repos.requestLogs.insertMany([
      ...[100, 200, 300, 400].map((latencyMs, index) =>
        log({
          createdAt: T0 + index * 1000,
          latencyMs,
          firstTokenMs: latencyMs / 2,
          inputTokens: 10,
          outputTokens: 20,
          costUsd: 0.5,
        }),
      ),
      log({
        createdAt: T0 + 2 * 60_000 + 5,
        latencyMs: 50,
        status: 429,
        errorKind: 'rate_limited',
      }),
    ]);
    const buckets = await repos.requestLogs.stats(T0, 60_000);
    expect(buckets.map((bucket) => bucket.start.getTime())).toEqual([
      T0,
      T0 + 60_000,
      T0 + 120_000,
      T0 + 180_000,
    ]);
    expect(buckets[0]).toEqual({
      start: new Date(T0),
      requests: 4,
      errors: 0,
      p50LatencyMs: 250,
      p95LatencyMs: 385,
      p50FirstTokenMs: 125,
      inputTokens: 40,
      outputTokens: 80,
      costUsd: 2,
    });
    expect(buckets[1]).toMatchObject({ requests: 0, errors: 0, p50LatencyMs: null });
    expect(buckets[2]).toMatchObject({
      requests: 1,
      errors: 1,
      p50LatencyMs: 50,
      p50FirstTokenMs: null,
    });
    await expect(repos.requestLogs.stats(0, 1000)).rejects.toThrow(RangeError);
  });

  it('keeps health results per provider: latest, history since a time, and pruning', async () => {
    await repos.health.record([
      { providerId: 'local', checkedAt: T0, isHealthy: true, responseTime: 12.4, source: 'probe' },
      {
        providerId: 'local',
        checkedAt: T0 + 30_000,
        isHealthy: false,
        error: 'connection refused',
        source: 'probe',
      },
      {
        providerId: 'openai',
        checkedAt: new Date(T0 + 10_000),
        isHealthy: true,
        responseTime: 200,
        circuitState: 'closed',
      },
    ]);
    const latest = await repos.health.latest();
    expect(latest.map((result) => [result.providerId, result.isHealthy, result.error])).toEqual([
      ['local', false, 'connection refused'],
      ['openai', true, undefined],
    ]);
    expect(latest[1]).toMatchObject({
      checkedAt: new Date(T0 + 10_000),
      responseTime: 200,
      circuitState: 'closed',
    });
    const history = await repos.health.history('local', T0);
    expect(history.map((result) => [result.checkedAt.getTime(), result.responseTime])).toEqual([
      [T0, 12],
      [T0 + 30_000, undefined],
    ]);
    expect(await repos.health.history('local', T0 + 1)).toHaveLength(1);
    expect(await repos.health.prune(new Date(T0 + 20_000))).toBe(2);
    expect((await repos.health.latest()).map((result) => result.providerId)).toEqual(['local']);
  });

  it('prunes by the retention settings', async () => {
    const day = 24 * 60 * 60 * 1000;
    await repos.settings.update(
      { healthRetentionDays: 1, requestLogRetentionDays: 7 },
      { via: 'system' },
    );
    await repos.health.record([
      { providerId: 'local', checkedAt: T0 - 2 * day, isHealthy: true },
      { providerId: 'local', checkedAt: T0 - 1000, isHealthy: true },
    ]);
    await repos.requestLogs.insertMany([
      log({ id: 'old', createdAt: T0 - 8 * day }),
      log({ id: 'recent', createdAt: T0 - 6 * day }),
    ]);
    expect(await pruneByRetention(repos, T0)).toEqual({
      healthResults: 1,
      requestLogs: 1,
      sessions: 0,
    });
    expect((await repos.requestLogs.list({ limit: 10 })).items.map((item) => item.id)).toEqual([
      'recent',
    ]);
    expect(await repos.health.history('local', 0)).toHaveLength(1);
  });
});
