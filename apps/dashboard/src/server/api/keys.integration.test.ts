// Editing and rotating API keys through the tRPC API, against a real database and a real gateway
// runtime with a mock OpenAI server behind it: what the dashboard changes, the gateway enforces.
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, testContext, VIEWER } from './test-support.ts';
import { assembleServices, type Services } from '../services.ts';
import { fieldErrorsOf } from './field-errors.ts';

const PROVIDER_KEY = 'sk-keys-integration-51f0c2';
const createCaller = createCallerFactory(appRouter);

describe.each(testBackends())('API keys on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let mock: OpenAIMock;
  let services: Services;

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
    await admin().providers.create({
      id: 'mock',
      name: 'Mock',
      type: 'openai',
      endpoint: mock.url,
      apiKey: PROVIDER_KEY,
      models: [{ name: 'mock-model', inputPricePerMTok: 1, outputPricePerMTok: 2 }],
    });
    await admin().routes.upsert({
      name: 'chat',
      targets: [{ provider: 'mock', weight: 1 }],
      fallbacks: [],
    });
  });

  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await mock?.close();
  });

  const admin = () =>
    createCaller(testContext({ session: ADMIN, services: () => Promise.resolve(services) }));
  const viewer = () =>
    createCaller(testContext({ session: VIEWER, services: () => Promise.resolve(services) }));

  /** A chat completion through the gateway's own HTTP handler, as an app would send it. */
  function chat(key: string): Promise<Response> {
    return runtime.handle(
      new Request('http://127.0.0.1/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hello' }] }),
      }),
    );
  }

  async function failure(promise: Promise<unknown>): Promise<TRPCError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof TRPCError) return error;
      throw error;
    }
    throw new Error('the call succeeded');
  }

  async function keyAudit(id: string) {
    const { items } = await admin().audit.list({ limit: 100, entity: 'key' });
    return items.filter((entry) => entry.entityId === id).map((entry) => entry.action);
  }

  it('applies an edited request limit to the running gateway at once', async () => {
    const { key, record } = await admin().keys.create({ name: 'limited' });
    for (let index = 0; index < 3; index++) expect((await chat(key)).status).toBe(200);

    const updated = await admin().keys.update({
      id: record.id,
      limits: { requestsPerMinute: 1 },
    });
    expect(updated.limits).toEqual({ requestsPerMinute: 1 });
    expect(JSON.stringify(updated)).not.toContain('"hash"');

    expect((await chat(key)).status).toBe(200);
    const refused = await chat(key);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });

    await admin().keys.update({ id: record.id, limits: null });
    expect((await chat(key)).status).toBe(200);
    expect(await keyAudit(record.id)).toEqual(['update', 'update', 'create']);
  });

  it('refuses an invalid edit with the field named, and viewers may not edit', async () => {
    const { record } = await admin().keys.create({ name: 'strict' });
    const cases = [
      [{ limits: { requestsPerMinute: 0 } }, 'limits.requestsPerMinute'],
      [{ monthlyBudgetUsd: -5 }, 'monthlyBudgetUsd'],
      [{ name: '  ' }, 'name'],
    ] as const;
    for (const [patch, field] of cases) {
      const error = await failure(admin().keys.update({ id: record.id, ...patch }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(Object.keys(fieldErrorsOf(error) ?? {})).toContain(field);
    }
    const missing = await failure(admin().keys.update({ id: 'no-such-key', name: 'x' }));
    expect(missing.code).toBe('NOT_FOUND');
    const forbidden = await failure(
      viewer().keys.update({ id: record.id, limits: { requestsPerMinute: 5 } }),
    );
    expect(forbidden.code).toBe('FORBIDDEN');
    const forbiddenRotation = await failure(viewer().keys.rotate({ id: record.id }));
    expect(forbiddenRotation.code).toBe('FORBIDDEN');
    expect(await keyAudit(record.id)).toEqual(['create']);
  });

  it('rotates a key: the old secret is refused at once, the new one accepted, usage kept', async () => {
    const { key: oldKey, record } = await admin().keys.create({
      name: 'rotating',
      limits: { tokensPerMinute: 100_000 },
    });
    expect((await chat(oldKey)).status).toBe(200);

    const rotated = await admin().keys.rotate({ id: record.id });
    expect(rotated.record).toMatchObject({
      id: record.id,
      name: 'rotating',
      limits: { tokensPerMinute: 100_000 },
    });
    expect(rotated.key).not.toBe(oldKey);
    expect(rotated.record.prefix).toBe(rotated.key.slice(0, 12));

    const refused = await chat(oldKey);
    expect(refused.status).toBe(401);
    expect((await chat(rotated.key)).status).toBe(200);

    // The Anthropic SDK sends the key as x-api-key to /v1/messages.
    const messages = await runtime.handle(
      new Request('http://127.0.0.1/v1/messages', {
        method: 'POST',
        headers: { 'x-api-key': rotated.key, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'chat',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'hello' }],
        }),
      }),
    );
    expect(messages.status).toBe(200);

    expect(await keyAudit(record.id)).toEqual(['rotate', 'create']);
    const listed = JSON.stringify(await admin().keys.list());
    expect(listed).not.toContain(rotated.key);
    expect(listed).not.toContain(oldKey);

    // Requests before and after the rotation count for the same key.
    let usage = await admin().keys.usage({ id: record.id, period: 'day' });
    for (let attempt = 0; usage.requests < 3 && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      usage = await admin().keys.usage({ id: record.id, period: 'day' });
    }
    expect(usage).toMatchObject({ requests: 3, failed: 0 });
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.costUsd).toBeGreaterThan(0);
    expect(usage.byModel[0]).toMatchObject({ model: 'mock-model', requests: 3 });

    await admin().keys.revoke({ id: record.id });
    const revoked = await failure(admin().keys.rotate({ id: record.id }));
    expect(revoked.code).toBe('CONFLICT');
  });
});
