// The tRPC API against a real database and a real gateway runtime, with a mock OpenAI server as
// the provider: secrets stay write-only, keys are shown once, and calls go through the proxy.
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, testContext } from './test-support.ts';
import { assembleServices, type Services } from '../services.ts';
import { fieldErrorsOf } from './field-errors.ts';

const PROVIDER_KEY = 'sk-integration-7c1d9e44b2';
const createCaller = createCallerFactory(appRouter);

describe.each(testBackends())('on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let mock: OpenAIMock;
  let services: Services;

  beforeAll(async () => {
    mock = await startOpenAIMock({
      apiKey: PROVIDER_KEY,
      models: ['mock-model', 'text-embedding-3-small'],
      behaviour: { reply: 'Hi from the mock.' },
    });
    database = await openTestDatabase(backend);
    const repositories = dbModule.createRepositories(database.db, {
      definitions: defaultDefinitions,
    });
    runtime = await createGatewayRuntime({ db: database.db, monitorHealth: false });
    services = assembleServices(dbModule, database.db, repositories, runtime);
  });

  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await mock?.close();
  });

  const admin = () =>
    createCaller(testContext({ session: ADMIN, services: () => Promise.resolve(services) }));
  const withKey = (apiKey: string) =>
    createCaller(testContext({ apiKey, services: () => Promise.resolve(services) }));

  /** The request-log row of a request, once the batched writer has stored it. */
  async function loggedRow(requestId: string) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { items } = await admin().logs.list({ limit: 50 });
      const row = items.find((item) => item.requestId === requestId);
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`request ${requestId} never reached the log`);
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

  describe('the dashboard API', () => {
    it('stores a provider secret but never answers with it', async () => {
      const created = await admin().providers.create({
        id: 'mock',
        name: 'Mock',
        type: 'openai',
        endpoint: mock.url,
        apiKey: PROVIDER_KEY,
        models: [{ name: 'mock-model', inputPricePerMTok: 1, outputPricePerMTok: 2 }],
      });
      expect(created).toMatchObject({ id: 'mock', hasApiKey: true });
      const list = await admin().providers.list();
      const exported = await admin().settings.exportConfig({ format: 'json' });
      for (const answer of [created, list, exported])
        expect(JSON.stringify(answer)).not.toContain(PROVIDER_KEY);
      expect(list.providers.map((provider) => provider.id)).toContain('mock');
    });

    it('keeps the stored secret when an edit leaves it blank, so the provider still answers its test', async () => {
      await admin().providers.update({
        id: 'mock',
        patch: { name: 'Mock (renamed)', endpoint: mock.url, type: 'openai' },
      });
      const result = await admin().providers.test({ id: 'mock' });
      expect(result).toMatchObject({ ok: true, error: null });
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(await admin().providers.discoverModels({ id: 'mock' })).toEqual([
        { id: 'mock-model' },
        { id: 'text-embedding-3-small', kind: 'embedding' },
      ]);
    });

    it('lists the models of a provider that is not saved yet, and saves nothing', async () => {
      const draft = { type: 'openai', endpoint: mock.url, apiKey: PROVIDER_KEY };
      expect(await admin().providers.discoverDraftModels(draft)).toEqual([
        { id: 'mock-model' },
        { id: 'text-embedding-3-small', kind: 'embedding' },
      ]);
      const ids = (await admin().providers.list()).providers.map((provider) => provider.id);
      expect(ids).not.toContain('draft');
      const bad = await failure(admin().providers.discoverDraftModels({ type: 'no-such-vendor' }));
      expect(bad.code).toBe('BAD_REQUEST');
      const unreachable = await failure(
        admin().providers.discoverDraftModels({
          type: 'openai-compatible',
          endpoint: 'http://127.0.0.1:9',
          apiKey: 'x',
        }),
      );
      expect(unreachable.code).toBe('BAD_GATEWAY');
    });

    it('reports a test failure with the reason', async () => {
      await admin().providers.create({
        id: 'nowhere',
        name: 'Nowhere',
        type: 'openai-compatible',
        endpoint: 'http://127.0.0.1:9',
        apiKey: 'x',
      });
      const result = await admin().providers.test({ id: 'nowhere' });
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/ECONNREFUSED|connect/i);
    });

    it('refuses a route over a provider that does not exist, naming the field', async () => {
      const error = await failure(
        admin().routes.upsert({
          name: 'chat',
          targets: [{ provider: 'ghost', weight: 1 }],
          fallbacks: [],
        }),
      );
      expect(error.code).toBe('BAD_REQUEST');
      expect(fieldErrorsOf(error)).toEqual({ 'targets[0].provider': 'unknown provider "ghost"' });
      await admin().routes.upsert({
        name: 'chat',
        targets: [{ provider: 'mock', weight: 1 }],
        fallbacks: [],
      });
      expect((await admin().routes.list()).map((route) => route.name)).toContain('chat');
    });

    it('shows a new API key once, then only its prefix, and the key works on the inference API', async () => {
      const { key, record } = await admin().keys.create({ name: 'integration', allowedRoutes: [] });
      expect(key).toMatch(/^sk-sy-/);
      const listed = JSON.stringify(await admin().keys.list());
      expect(listed).not.toContain(key);
      expect(listed).not.toContain('"hash"');
      expect(listed).toContain(record.prefix);

      const answer = await withKey(key).inference.chat({
        request: { model: 'chat', messages: [{ role: 'user', content: 'hello' }] },
      });
      expect(answer.provider).toBe('mock');
      expect(answer.completion).toMatchObject({
        object: 'chat.completion',
        choices: [{ message: { content: 'Hi from the mock.' } }],
      });

      const refused = await failure(
        withKey('sk-sy-not-a-key').inference.chat({
          request: { model: 'chat', messages: [{ role: 'user', content: 'x' }] },
        }),
      );
      expect(refused.code).toBe('UNAUTHORIZED');
    });

    it('streams in the playground with who served it, timings, tokens and cost', async () => {
      const events = [];
      const stream = await admin().playground.stream({
        model: 'chat',
        messages: [{ role: 'user', content: 'stream please' }],
      });
      for await (const event of stream) events.push(event);
      expect(events[0]).toMatchObject({ type: 'start', provider: 'mock' });
      const text = events.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('');
      expect(text).toBe('Hi from the mock.');
      const done = events.at(-1);
      expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
      if (done?.type !== 'done') throw new Error('no done event');
      expect(done.usage?.outputTokens).toBeGreaterThan(0);
      expect(done.costUsd).toBeGreaterThan(0);
      const keys = await admin().keys.list();
      expect(keys.map((entry) => entry.name)).toContain('Playground (admin@example.com)');
    });

    it.each(['responses', 'messages'] as const)(
      'streams in the playground through the %s dialect, logged under it',
      async (dialect) => {
        const events = [];
        const stream = await admin().playground.stream({
          model: 'chat',
          dialect,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: `stream in ${dialect}` },
          ],
        });
        for await (const event of stream) events.push(event);
        expect(events[0]).toMatchObject({ type: 'start', provider: 'mock', status: 200 });
        const text = events
          .flatMap((event) => (event.type === 'delta' ? [event.text] : []))
          .join('');
        expect(text).toBe('Hi from the mock.');
        const done = events.at(-1);
        expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
        if (done?.type !== 'done') throw new Error('no done event');
        expect(done.usage?.inputTokens).toBeGreaterThan(0);
        expect(done.usage?.outputTokens).toBeGreaterThan(0);
        expect(done.costUsd).toBeGreaterThan(0);
        const start = events[0];
        if (start?.type !== 'start' || !start.requestId) throw new Error('no request id');
        const logged = await loggedRow(start.requestId);
        expect(logged.dialect).toBe(dialect);
      },
    );

    it('names the problem when a dialect call fails', async () => {
      const events = [];
      const stream = await admin().playground.stream({
        model: 'chat',
        provider: 'no-such-provider',
        dialect: 'responses',
        messages: [{ role: 'user', content: 'x' }],
      });
      for await (const event of stream) events.push(event);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'error', status: 404 });
      expect(events[0]?.type === 'error' ? events[0].message : '').toContain('no-such-provider');
    });

    it('validates settings with messages per field, and imports all or nothing', async () => {
      const error = await failure(admin().settings.update({ retryAttempts: 11 }));
      expect(fieldErrorsOf(error)).toEqual({ retryAttempts: 'must be at most 10' });
      const saved = await admin().settings.update({
        retryAttempts: 2,
        loadBalancing: 'round-robin',
      });
      expect(saved).toMatchObject({ retryAttempts: 2, loadBalancing: 'round-robin' });

      const before = (await admin().providers.list()).providers.length;
      const invalid = await failure(
        admin().settings.importConfig({
          format: 'yaml',
          text: 'providers:\n  - id: fine\n    name: Fine\n    type: ollama\n  - id: broken\n    name: Broken\n    type: nonsense\n',
        }),
      );
      expect(invalid.code).toBe('BAD_REQUEST');
      expect(Object.keys(fieldErrorsOf(invalid) ?? {})).toContain('providers[1].type');
      expect((await admin().providers.list()).providers.length).toBe(before);
    });

    it('lists the changes in the audit log, without secrets', async () => {
      const audit = await admin().audit.list({ limit: 50 });
      expect(audit.items.map((entry) => `${entry.action} ${entry.entity}`)).toEqual(
        expect.arrayContaining(['create provider', 'update provider', 'create key']),
      );
      expect(JSON.stringify(audit)).not.toContain(PROVIDER_KEY);
    });
  });
});
