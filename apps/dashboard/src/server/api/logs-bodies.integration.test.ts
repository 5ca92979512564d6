// Body logging from the Settings switch to the request log: off, nothing is kept; on, the request
// and the answer are kept with credentials masked; admins read them, viewers only when allowed,
// and lists never carry them. A route's switch overrides Settings, and a key's overrides both.
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

const PROVIDER_KEY = 'sk-bodies-5f0a2c';
const PASTED_SECRET = 'sk-proj-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2';
const createCaller = createCallerFactory(appRouter);

describe.each(testBackends())('request bodies in the log on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let mock: OpenAIMock;
  let services: Services;
  let key: string;

  const caller = (session: typeof ADMIN) =>
    createCaller(testContext({ session, services: () => Promise.resolve(services) }));

  beforeAll(async () => {
    mock = await startOpenAIMock({
      apiKey: PROVIDER_KEY,
      models: ['mock-model'],
      behaviour: { reply: 'Hi from the mock.' },
    });
    database = await openTestDatabase(backend);
    const repositories = dbModule.createRepositories(database.db, {
      definitions: defaultDefinitions,
    });
    runtime = await createGatewayRuntime({ db: database.db, monitorHealth: false });
    services = assembleServices(dbModule, database.db, repositories, runtime);
    await caller(ADMIN).providers.create({
      id: 'mock',
      name: 'Mock',
      type: 'openai',
      endpoint: mock.url,
      apiKey: PROVIDER_KEY,
      models: [{ name: 'mock-model' }],
    });
    await caller(ADMIN).routes.upsert({
      name: 'chat',
      targets: [{ provider: 'mock', model: 'mock-model', weight: 1 }],
      fallbacks: [],
    });
    key = (await caller(ADMIN).keys.create({ name: 'bodies', allowedRoutes: [] })).key;
    await runtime.reload();
  });

  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await mock?.close();
  });

  async function ask(stream: boolean, apiKey = key): Promise<string> {
    const response = await runtime.handle(
      new Request('http://gateway/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'chat',
          stream,
          messages: [{ role: 'user', content: `use ${PASTED_SECRET} and say hi` }],
        }),
      }),
    );
    expect(response.status).toBe(200);
    await response.text();
    return response.headers.get('x-request-id') ?? '';
  }

  async function logged(requestId: string) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { items } = await caller(ADMIN).logs.list({ limit: 50 });
      const row = items.find((item) => item.requestId === requestId);
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`request ${requestId} never reached the log`);
  }

  it('keeps no body while the switch is off', async () => {
    const row = await logged(await ask(false));
    const detail = await caller(ADMIN).logs.get({ id: row.id });
    expect('requestBody' in detail ? detail.requestBody : undefined).toBeUndefined();
    expect('responseBody' in detail ? detail.responseBody : undefined).toBeUndefined();
  });

  it('keeps masked bodies once on, for admins, and for viewers only when allowed', async () => {
    await caller(ADMIN).settings.update({ logBodies: true, logBodyMaxBytes: 8_192 });
    await runtime.reload();
    const plain = await logged(await ask(false));
    const streamed = await logged(await ask(true));

    // Lists carry no bodies, whoever asks.
    expect(plain).not.toHaveProperty('requestBody');
    expect(streamed).not.toHaveProperty('responseBody');

    const detail = await caller(ADMIN).logs.get({ id: plain.id });
    expect(detail.bodiesHidden).toBe(false);
    const stored = JSON.stringify(detail);
    expect(stored).not.toContain(PASTED_SECRET);
    expect(stored).toContain('say hi');
    expect('responseBody' in detail && detail.responseBody).toMatchObject({
      choices: [{ message: { content: 'Hi from the mock.' } }],
    });
    const streamedDetail = await caller(ADMIN).logs.get({ id: streamed.id });
    expect('responseBody' in streamedDetail && streamedDetail.responseBody).toMatchObject({
      content: 'Hi from the mock.',
      complete: true,
    });

    const hidden = await caller(VIEWER).logs.get({ id: plain.id });
    expect(hidden.bodiesHidden).toBe(true);
    expect(hidden).not.toHaveProperty('requestBody');
    expect(hidden).not.toHaveProperty('responseBody');

    await caller(ADMIN).settings.update({ viewersReadBodies: true });
    const shown = await caller(VIEWER).logs.get({ id: plain.id });
    expect(shown.bodiesHidden).toBe(false);
    expect('requestBody' in shown && shown.requestBody).toBeTruthy();
  });

  it("follows the route's switch over Settings, and the key's over both", async () => {
    const bodiesOf = async (requestId: string) => {
      const detail = await caller(ADMIN).logs.get({ id: (await logged(requestId)).id });
      return 'requestBody' in detail ? detail.requestBody : undefined;
    };
    const route = (logBodies?: boolean) =>
      caller(ADMIN).routes.upsert({
        name: 'chat',
        targets: [{ provider: 'mock', model: 'mock-model', weight: 1 }],
        fallbacks: [],
        ...(logBodies === undefined ? {} : { logBodies }),
      });
    await caller(ADMIN).settings.update({ logBodies: false });
    await route(true);
    await runtime.reload();
    expect(await bodiesOf(await ask(false))).toMatchObject({ model: 'chat' });
    expect((await caller(ADMIN).routes.list()).find((r) => r.name === 'chat')?.logBodies).toBe(
      true,
    );

    const quiet = await caller(ADMIN).keys.create({
      name: 'quiet',
      allowedRoutes: [],
      logBodies: false,
    });
    expect(quiet.record.logBodies).toBe(false);
    await runtime.reload();
    expect(await bodiesOf(await ask(true, quiet.key))).toBeUndefined();

    await route(false);
    const id = (await caller(ADMIN).keys.list()).find((item) => item.name === 'bodies')?.id ?? '';
    await caller(ADMIN).keys.setLogBodies({ id, logBodies: true });
    await runtime.reload();
    expect(await bodiesOf(await ask(false))).toMatchObject({ model: 'chat' });
    expect(await bodiesOf(await ask(false, quiet.key))).toBeUndefined();

    await caller(ADMIN).keys.setLogBodies({ id, logBodies: null });
    await runtime.reload();
    expect(await bodiesOf(await ask(false))).toBeUndefined();
    await expect(caller(VIEWER).keys.setLogBodies({ id, logBodies: true })).rejects.toThrow();
    await expect(caller(ADMIN).keys.setLogBodies({ id: 'nope', logBodies: true })).rejects.toThrow(
      /not found|no key|does not exist/i,
    );
  });
});
