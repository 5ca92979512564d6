// Security through the dashboard's API, against a real database and gateway runtime: what an
// admin can make the server read or send, and what a viewer can see.
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldErrorsOf } from './field-errors.ts';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, VIEWER, testContext } from './test-support.ts';
import { assembleServices, type Services } from '../services.ts';

const createCaller = createCallerFactory(appRouter);

const INTERNAL_SECRET = 'db_password=hunter2-internal';

/** An internal page that is not a model API: its body must never come back to the dashboard. */
async function startInternalPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const status = request.url?.includes('models') ? 500 : 200;
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end(`<html><body>config: ${INTERNAL_SECRET}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
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

describe.each(testBackends())('security of the dashboard API on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let services: Services;

  beforeAll(async () => {
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
  });

  const as = (session: typeof ADMIN) =>
    createCaller(testContext({ session, services: () => Promise.resolve(services) }));

  describe('config import', () => {
    it("never copies the server's environment into stored configuration", async () => {
      const home = process.env.HOME;
      expect(home).toBeTruthy();
      await as(ADMIN).settings.importConfig({
        format: 'yaml',
        text: [
          'providers:',
          '  - id: leak',
          '    name: leak ${HOME}',
          '    type: ollama',
          '    endpoint: http://127.0.0.1:11434',
          '  - id: unset',
          '    name: unset ${SURELY_NOT_SET_ANYWHERE_42}',
          '    type: ollama',
          '    endpoint: http://127.0.0.1:11435',
        ].join('\n'),
      });
      const listed = await as(VIEWER).providers.list();
      const names = listed.providers.map((provider) => provider.name);
      expect(names).toEqual(
        expect.arrayContaining(['leak ${HOME}', 'unset ${SURELY_NOT_SET_ANYWHERE_42}']),
      );
      expect(JSON.stringify(listed)).not.toContain(home);
    });
  });

  describe('provider endpoints (SSRF)', () => {
    it('asks for the key again when the endpoint moves to another host', async () => {
      await as(ADMIN).providers.create({
        id: 'moving',
        name: 'Moving',
        type: 'openai',
        endpoint: 'https://api.openai.com',
        apiKey: 'sk-stored-for-openai',
      });
      const moved = await failure(
        as(ADMIN).providers.update({
          id: 'moving',
          patch: { endpoint: 'http://attacker.example:8080' },
        }),
      );
      expect(moved.code).toBe('BAD_REQUEST');
      expect(fieldErrorsOf(moved)?.apiKey).toMatch(/entered again/);
      const listed = await as(ADMIN).providers.list();
      expect(listed.providers.find((p) => p.id === 'moving')?.endpoint).toBe(
        'https://api.openai.com',
      );
      // Same host, another path: the key stays. Another host with the key entered: accepted.
      await as(ADMIN).providers.update({
        id: 'moving',
        patch: { endpoint: 'https://api.openai.com/v1' },
      });
      const updated = await as(ADMIN).providers.update({
        id: 'moving',
        patch: { endpoint: 'http://127.0.0.1:9', apiKey: 'sk-for-the-new-host' },
      });
      expect(updated).toMatchObject({ endpoint: 'http://127.0.0.1:9', hasApiKey: true });
    });

    it('never returns an upstream body from model discovery', async () => {
      const page = await startInternalPage();
      try {
        await as(ADMIN).providers.create({
          id: 'internal',
          name: 'Internal',
          type: 'openai-compatible',
          endpoint: page.url,
          apiKey: 'sk-internal',
        });
        const error = await failure(as(ADMIN).providers.discoverModels({ id: 'internal' }));
        expect(error.code).toBe('BAD_GATEWAY');
        expect(error.message).not.toContain('hunter2');
        expect(error.message).toMatch(/HTTP 500/);
      } finally {
        await page.close();
      }
    });
  });

  describe('credentials outside the secret fields', () => {
    it('shows viewers neither header values nor endpoint URL credentials', async () => {
      await as(ADMIN).providers.create({
        id: 'with-headers',
        name: 'With headers',
        type: 'openai-compatible',
        endpoint: 'http://gw-user:gw-password-77@127.0.0.1:9/v1?key=gw-query-key-88',
        config: { headers: { Authorization: 'Bearer gw-header-token-99' } },
      });
      const seen = JSON.stringify([
        await as(VIEWER).providers.list(),
        await as(VIEWER).audit.list({ limit: 50 }),
        await as(ADMIN).settings.exportConfig({ format: 'yaml' }),
      ]);
      for (const secret of ['gw-password-77', 'gw-query-key-88', 'gw-header-token-99'])
        expect(seen).not.toContain(secret);
      expect(seen).toContain('Authorization');
    });
  });
});
