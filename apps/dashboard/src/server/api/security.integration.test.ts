// Security through the dashboard's API, against a real database and gateway runtime: what an
// admin can make the server read or send, and what a viewer can see.
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, VIEWER, testContext } from './test-support.ts';
import { assembleServices, type Services } from '../services.ts';

const createCaller = createCallerFactory(appRouter);

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
});
