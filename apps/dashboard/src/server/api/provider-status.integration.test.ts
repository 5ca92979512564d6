// The Providers page's status query against a real database and gateway runtime, with a mock
// OpenAI server that turns requests away: circuits, cool-downs, last errors, stored health
// checks, and a disabled provider that is not reported healthy.
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, testContext, VIEWER } from './test-support.ts';
import { assembleServices, type Services } from '../services.ts';

const PROVIDER_KEY = 'sk-status-5e0b1c7a93';
const createCaller = createCallerFactory(appRouter);

describe.each(testBackends())('provider status on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let limited: OpenAIMock;
  let steady: OpenAIMock;
  let services: Services;

  beforeAll(async () => {
    limited = await startOpenAIMock({ apiKey: PROVIDER_KEY, models: ['mock-model'] });
    steady = await startOpenAIMock({ apiKey: PROVIDER_KEY, models: ['mock-model'] });
    database = await openTestDatabase(backend);
    const repositories = dbModule.createRepositories(database.db, {
      definitions: defaultDefinitions,
    });
    // environment: {} keeps this runtime off any REDIS_URL the machine has: the two backends'
    // runs would otherwise share circuits through it.
    runtime = await createGatewayRuntime({
      db: database.db,
      monitorHealth: false,
      environment: {},
    });
    services = assembleServices(dbModule, database.db, repositories, runtime);
  });

  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await limited?.close();
    await steady?.close();
  });

  const as = (session: typeof ADMIN) =>
    createCaller(testContext({ session, services: () => Promise.resolve(services) }));

  it('shows the open model circuit, the cool-down and the last error after repeated 429s', async () => {
    for (const [id, mock, priority] of [
      ['limited', limited, 1],
      ['steady', steady, 2],
    ] as const)
      await as(ADMIN).providers.create({
        id,
        name: id,
        type: 'openai',
        endpoint: mock.url,
        apiKey: PROVIDER_KEY,
        priority,
        models: [{ name: 'mock-model' }],
      });
    await as(ADMIN).routes.upsert({
      name: 'chat',
      targets: [{ provider: 'limited' }, { provider: 'steady' }],
      fallbacks: [],
      retryAttempts: 0,
    });
    const { key } = await as(ADMIN).keys.create({ name: 'status-test' });
    // 429s count against the model's circuit but not against health; the last one asks for a
    // long wait, which cools the provider down.
    limited.failNext({ kind: 'rate-limited', retryAfterMs: 0 }, 4);
    limited.failNext({ kind: 'rate-limited', retryAfterMs: 120_000 });
    const request = {
      request: { model: 'chat', messages: [{ role: 'user' as const, content: 'hi' }] },
    };
    const caller = createCaller(
      testContext({ apiKey: key, services: () => Promise.resolve(services) }),
    );
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await caller.inference.chat(request)).provider).toBe('steady');

    const { providers } = await as(VIEWER).providers.status();
    const status = providers.find((provider) => provider.providerId === 'limited');
    expect(status?.circuit).toBe('open');
    expect(status?.providerCircuit.state).toBe('closed');
    const model = status?.models.find((entry) => entry.model === 'mock-model');
    expect(model?.circuit.state).toBe('open');
    expect(Date.parse(model?.circuit.retryAt ?? '')).toBeGreaterThan(Date.now());
    expect(model?.lastError?.message).toMatch(/429|rate/i);
    expect(Date.parse(status?.coolDownUntil ?? '')).toBeGreaterThan(Date.now() + 100_000);
    const healthy = providers.find((provider) => provider.providerId === 'steady');
    expect(healthy?.models[0]).toMatchObject({ circuit: { state: 'closed' }, lastError: null });
  });

  it('reports a disabled provider as disabled and not healthy', async () => {
    await as(ADMIN).providers.setEnabled({ id: 'steady', enabled: false });
    const { providers } = await as(ADMIN).providers.status();
    expect(providers.find((provider) => provider.providerId === 'steady')).toMatchObject({
      enabled: false,
      isHealthy: false,
    });
  });

  it('gives each provider its latest stored health checks, oldest first', async () => {
    const now = Date.now();
    await services.repositories.health.record([
      { providerId: 'limited', checkedAt: now - 2_000, isHealthy: true, responseTime: 12 },
      { providerId: 'limited', checkedAt: now - 1_000, isHealthy: false, error: 'ECONNREFUSED' },
    ]);
    const { history } = await as(ADMIN).providers.status();
    expect(history.limited?.map((check) => check.isHealthy)).toEqual([true, false]);
    expect(history.limited?.[1]?.error).toBe('ECONNREFUSED');
    expect(history.steady).toEqual([]);
  });
});
