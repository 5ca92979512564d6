// Database mode: a change made in the database reaches a running gateway within a second,
// without a restart. On Postgres the change is made through a second connection (LISTEN/NOTIFY).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { createRepositories, openDatabase, type Database } from '@switchyard/db';
import {
  openTestDatabase,
  testBackends,
  TEST_SECRET_KEY,
  type TestDatabase,
} from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from './runtime.ts';

let first: OpenAIMock;
let second: OpenAIMock;

beforeAll(async () => {
  first = await startOpenAIMock();
  second = await startOpenAIMock();
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  await closeHttpAgent();
});

const actor = { via: 'system' as const };

async function ask(runtime: GatewayRuntime): Promise<string | null> {
  const response = await runtime.handle(
    new Request('http://gateway/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
    }),
  );
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return response.headers.get('x-switchyard-provider');
}

describe.each(testBackends())('hot reload on %s', (backend) => {
  let test: TestDatabase;
  let writer: Database;
  let runtime: GatewayRuntime;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    writer =
      backend === 'postgres'
        ? await openDatabase({ url: test.url!, secretKey: TEST_SECRET_KEY, migrate: false })
        : test.db;
    const repositories = createRepositories(test.db, { definitions: defaultDefinitions });
    await repositories.providers.create(
      {
        id: 'first',
        name: 'First',
        type: 'openai',
        endpoint: first.url,
        apiKey: 'k1',
        priority: 1,
      },
      actor,
    );
    await repositories.providers.create(
      {
        id: 'second',
        name: 'Second',
        type: 'openai',
        endpoint: second.url,
        apiKey: 'k2',
        priority: 2,
      },
      actor,
    );
    await repositories.routes.upsert(
      {
        name: 'chat',
        targets: [
          { provider: 'first', model: 'gpt-test', weight: 1 },
          { provider: 'second', model: 'gpt-test', weight: 1 },
        ],
      },
      actor,
    );
    runtime = await createGatewayRuntime({ db: test.db, monitorHealth: false, environment: {} });
  });

  afterAll(async () => {
    await runtime.close();
    if (writer !== test.db) await writer.close();
    await test.close();
  });

  it('a provider disabled in the database stops receiving traffic within a second', async () => {
    expect(await ask(runtime)).toBe('first');
    await createRepositories(writer, { definitions: defaultDefinitions }).providers.setEnabled(
      'first',
      false,
      actor,
    );
    const disabledAt = Date.now();
    let served = await ask(runtime);
    while (served === 'first' && Date.now() - disabledAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      served = await ask(runtime);
    }
    expect(served).toBe('second');
    expect(Date.now() - disabledAt).toBeLessThan(1000);
  });

  it('a key revoked in the database is refused within a second', async () => {
    const { record, key } = await createRepositories(writer, {
      definitions: defaultDefinitions,
    }).keys.create({ name: 'app' }, actor);
    const call = () =>
      runtime.handle(
        new Request('http://gateway/v1/models', { headers: { authorization: `Bearer ${key}` } }),
      );
    let response = await call();
    for (let tries = 0; response.status !== 200 && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      response = await call();
    }
    expect(response.status).toBe(200);
    await createRepositories(writer, { definitions: defaultDefinitions }).keys.revoke(
      record.id,
      actor,
    );
    const revokedAt = Date.now();
    while ((await call()).status === 200 && Date.now() - revokedAt < 1000)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect((await call()).status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });
});
