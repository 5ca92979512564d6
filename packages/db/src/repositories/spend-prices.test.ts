import type { Clock, PriceCatalogue } from '@switchyard/core';
import { builtInPriceCatalogue, defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';
import { effectivePriceCatalogue } from './price-catalogue.ts';
import type { RequestLogInput } from './request-logs.ts';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const clock: Clock = { now: () => T0, sleep: () => Promise.resolve() };
const admin = { via: 'dashboard' as const, email: 'admin@example.com' };

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

function catalogue(asOf: string): PriceCatalogue {
  return {
    asOf,
    currency: 'USD',
    unit: 'per-million-tokens',
    vendors: {
      openai: {
        source: 'test file',
        providerTypes: ['openai'],
        models: { 'gpt-4o-mini': { input: 0.1, output: 0.2 }, 'gpt-x': { input: 1, output: 2 } },
      },
    },
  };
}

describe.each(testBackends())('spend and the price catalogue on %s', (backend) => {
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

  it('sums cost and tokens per key, route, provider and model within the range', async () => {
    await repos.requestLogs.insertMany([
      log({
        keyId: 'k1',
        route: 'chat',
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1_000,
        outputTokens: 100,
        cachedInputTokens: 600,
        cacheWriteTokens: 0,
        reasoningTokens: 40,
        costUsd: 0.5,
      }),
      log({
        keyId: 'k1',
        route: 'chat',
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        inputTokens: 2_000,
        outputTokens: 10,
        cacheWriteTokens: 1_500,
        costUsd: 1.25,
      }),
      log({ keyId: 'k2', route: 'chat', provider: 'local', model: 'llama', inputTokens: 50 }),
      // Outside the range on both sides.
      log({ keyId: 'k1', provider: 'openai', createdAt: T0 - 2 * 3_600_000, costUsd: 100 }),
      log({ keyId: 'k1', provider: 'openai', createdAt: T0 + 3_600_000, costUsd: 100 }),
    ]);
    const range = { since: new Date(T0 - 3_600_000), until: new Date(T0 + 60_000) };

    const byKey = await repos.spend.spend({ by: 'key', ...range });
    expect(byKey).toHaveLength(2);
    expect(byKey[0]).toMatchObject({ group: 'k1', requests: 2, unpriced: 0 });
    expect(byKey[0]?.costUsd).toBeCloseTo(1.75, 10);
    expect(byKey[1]).toMatchObject({ group: 'k2', requests: 1, costUsd: 0, unpriced: 1 });

    const byProvider = await repos.spend.spend({ by: 'provider', ...range });
    expect(byProvider.map((row) => row.group)).toEqual(['anthropic', 'openai', 'local']);
    expect(byProvider[0]).toMatchObject({ cacheWriteTokens: 1_500, inputTokens: 2_000 });
    expect(byProvider[1]).toMatchObject({ cachedInputTokens: 600, reasoningTokens: 40 });

    const byModel = await repos.spend.spend({ by: 'model', ...range });
    expect(byModel.map((row) => row.group)).toEqual(['claude-haiku-4-5', 'gpt-4o-mini', 'llama']);
    const byRoute = await repos.spend.spend({ by: 'route', ...range });
    expect(byRoute).toEqual([expect.objectContaining({ group: 'chat', requests: 3 })]);
  });

  it('keeps the token columns of a logged request', async () => {
    await repos.requestLogs.insertMany([
      log({
        id: 'l1',
        inputTokens: 10,
        cachedInputTokens: 4,
        cacheWriteTokens: 3,
        reasoningTokens: 2,
      }),
    ]);
    expect(await repos.requestLogs.get('l1')).toMatchObject({
      cachedInputTokens: 4,
      cacheWriteTokens: 3,
      reasoningTokens: 2,
    });
  });

  it('imports a newer catalogue, refuses an older one, and audits the import', async () => {
    const builtIn = builtInPriceCatalogue();
    expect(await repos.prices.stored()).toBeUndefined();
    const older = await repos.prices.importCatalogue(catalogue('2020-01-01'), builtIn, admin);
    expect(older).toEqual({ imported: false, asOf: '2020-01-01', currentAsOf: builtIn.asOf });

    const newer = await repos.prices.importCatalogue(catalogue('2030-01-01'), builtIn, admin);
    expect(newer).toEqual({ imported: true, asOf: '2030-01-01', models: 2 });
    const stored = await repos.prices.stored();
    expect(stored?.vendors.openai?.models['gpt-x']).toEqual({ input: 1, output: 2 });
    expect(effectivePriceCatalogue(builtIn, stored).asOf).toBe('2030-01-01');
    expect(await repos.prices.summary()).toMatchObject({ asOf: '2030-01-01', models: 2 });

    const same = await repos.prices.importCatalogue(catalogue('2030-01-01'), builtIn, admin);
    expect(same.imported).toBe(false);
    const audit = await repos.audit.list({ limit: 10 });
    expect(audit.items.filter((entry) => entry.entityId === 'price-catalogue')).toHaveLength(1);
  });
});
