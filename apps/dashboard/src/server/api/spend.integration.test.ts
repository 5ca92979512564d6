// Cost out of the box: a model with no price of its own is billed at the catalogue's price, the
// spend page's sums show it per key and model, and a catalogue file is imported only when valid
// and newer.
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { builtInPriceCatalogue, defaultDefinitions } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, testContext, VIEWER } from './test-support.ts';
import { assembleServices, type Services } from '../services.ts';

const PROVIDER_KEY = 'sk-spend-1a2b3c';
const createCaller = createCallerFactory(appRouter);

describe.each(testBackends())('spend and prices on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let mock: OpenAIMock;
  let services: Services;
  let key: string;

  const caller = (session: typeof ADMIN) =>
    createCaller(testContext({ session, services: () => Promise.resolve(services) }));

  beforeAll(async () => {
    mock = await startOpenAIMock({ apiKey: PROVIDER_KEY, models: ['gpt-4o-mini'] });
    database = await openTestDatabase(backend);
    const repositories = dbModule.createRepositories(database.db, {
      definitions: defaultDefinitions,
    });
    runtime = await createGatewayRuntime({ db: database.db, monitorHealth: false });
    services = assembleServices(dbModule, database.db, repositories, runtime);
    await caller(ADMIN).providers.create({
      id: 'openai',
      name: 'OpenAI',
      type: 'openai',
      endpoint: mock.url,
      apiKey: PROVIDER_KEY,
      models: [{ name: 'gpt-4o-mini' }],
    });
    key = (await caller(ADMIN).keys.create({ name: 'team-a', allowedRoutes: [] })).key;
    await runtime.reload();
  });

  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await mock?.close();
  });

  it('turns a request into a cost at the catalogue price, by key and by model', async () => {
    const response = await runtime.handle(
      new Request('http://gateway/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    const listed = builtInPriceCatalogue().vendors.openai?.models['gpt-4o-mini'];
    const expected =
      (body.usage.prompt_tokens * (listed?.input ?? NaN) +
        body.usage.completion_tokens * (listed?.output ?? NaN)) /
      1e6;
    expect(expected).toBeGreaterThan(0);

    // The request log is written in batches: wait for the row.
    let byModel = await caller(VIEWER).spend.byDimension({ by: 'model', hours: 1 });
    for (let tries = 0; byModel.rows.length === 0 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      byModel = await caller(VIEWER).spend.byDimension({ by: 'model', hours: 1 });
    }
    expect(byModel.rows).toHaveLength(1);
    expect(byModel.rows[0]).toMatchObject({ group: 'gpt-4o-mini', requests: 1, unpriced: 0 });
    expect(byModel.rows[0]?.costUsd).toBeCloseTo(expected, 12);

    const byKey = await caller(VIEWER).spend.byDimension({ by: 'key', hours: 1 });
    expect(byKey.rows[0]).toMatchObject({ label: 'team-a', requests: 1 });
  });

  it('refuses a catalogue file that is not JSON, not valid, or not newer, naming the problem', async () => {
    await expect(caller(ADMIN).spend.importCatalogue({ text: '{nope' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'The file is not JSON.',
    });
    const builtIn = builtInPriceCatalogue();
    const broken = structuredClone(builtIn) as unknown as {
      vendors: { openai: { models: { 'gpt-4o': { input: number } } } };
    };
    broken.vendors.openai.models['gpt-4o'].input = -3;
    await expect(
      caller(ADMIN).spend.importCatalogue({ text: JSON.stringify(broken) }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('vendors.openai.models.gpt-4o.input') as unknown,
    });
    await expect(
      caller(ADMIN).spend.importCatalogue({ text: JSON.stringify(builtIn) }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('newer') as unknown,
    });
    await expect(
      caller(VIEWER).spend.importCatalogue({
        text: JSON.stringify({ ...builtIn, asOf: '2099-01-01' }),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('imports a newer catalogue, which the running gateway prices with at once', async () => {
    const newer = { ...builtInPriceCatalogue(), asOf: '2099-01-01' };
    const result = await caller(ADMIN).spend.importCatalogue({ text: JSON.stringify(newer) });
    expect(result).toMatchObject({ imported: true, asOf: '2099-01-01' });
    const catalogue = await caller(VIEWER).spend.catalogue();
    expect(catalogue.inEffect).toMatchObject({ source: 'imported', asOf: '2099-01-01' });
    expect(runtime.gateway.prices.asOf).toBe('2099-01-01');
  });
});
