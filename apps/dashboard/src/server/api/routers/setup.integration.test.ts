// First-run setup against a real database: concurrent setups (with the token) make one admin.
import { defaultDefinitions } from '@switchyard/adapters';
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupToken } from '../../auth/setup-token.ts';
import type { Services } from '../../services.ts';
import { appRouter } from '../root.ts';
import { testContext } from '../test-support.ts';
import { createCallerFactory } from '../trpc.ts';

const createCaller = createCallerFactory(appRouter);

describe.each(testBackends())('first-run setup on %s', (backend) => {
  let database: TestDatabase;
  let services: Services;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    services = {
      repositories: dbModule.createRepositories(database.db, { definitions: defaultDefinitions }),
    } as unknown as Services;
  });
  afterAll(() => database?.close());

  it('makes one admin when six setups race', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) =>
        createCaller(testContext({ services: () => Promise.resolve(services) })).auth.setup({
          email: `admin${index}@example.com`,
          password: 'a long enough password',
          setupToken: setupToken(),
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await services.repositories.users.count()).toBe(1);
  });
});
