// First run against a real (embedded) database: the defaults are seeded whichever way the first
// admin is created.
import { defaultDefinitions } from '@switchyard/adapters';
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bootstrap, DEFAULT_ROUTE, LM_STUDIO_PROVIDER } from './bootstrap.ts';

describe.each(testBackends())('first-run bootstrap on %s', (backend) => {
  let database: TestDatabase;
  let repositories: dbModule.Repositories;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    repositories = dbModule.createRepositories(database.db, { definitions: defaultDefinitions });
  });
  afterAll(() => database?.close());
  beforeEach(() => database.reset());

  it('seeds the LM Studio provider and the default route when the admin comes from the environment', async () => {
    await bootstrap(repositories, defaultDefinitions, {
      SWITCHYARD_ADMIN_EMAIL: 'admin@example.com',
      SWITCHYARD_ADMIN_PASSWORD: 'a long enough password',
      SWITCHYARD_SEED_DEFAULTS: true,
    });
    expect(await repositories.users.count()).toBe(1);
    const providers = await repositories.providers.list();
    expect(providers.map((provider) => provider.id)).toContain(LM_STUDIO_PROVIDER.id);
    expect((await repositories.routes.list()).map((route) => route.name)).toContain(DEFAULT_ROUTE);
  });

  it('does not seed again on a later start, nor make a second admin', async () => {
    const settings = {
      SWITCHYARD_ADMIN_EMAIL: 'admin@example.com',
      SWITCHYARD_ADMIN_PASSWORD: 'a long enough password',
      SWITCHYARD_SEED_DEFAULTS: true,
    };
    await bootstrap(repositories, defaultDefinitions, settings);
    await repositories.providers.remove(LM_STUDIO_PROVIDER.id, { via: 'system' });
    await bootstrap(repositories, defaultDefinitions, {
      ...settings,
      SWITCHYARD_ADMIN_EMAIL: 'other@example.com',
    });
    expect(await repositories.users.count()).toBe(1);
    expect((await repositories.providers.list()).map((provider) => provider.id)).not.toContain(
      LM_STUDIO_PROVIDER.id,
    );
  });
});
