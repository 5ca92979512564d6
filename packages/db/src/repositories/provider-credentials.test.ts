// Header values and endpoint URL credentials are secrets: encrypted at rest, masked wherever a
// provider is shown (records, audit, export), kept when a masked value comes back.
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportConfig, loadGatewayConfig } from '../config/export-config.ts';
import { importConfig } from '../config/import-config.ts';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';

const admin = { userId: 'u1', email: 'admin@example.com', via: 'dashboard' } as const;
const SECRETS = ['url-password-1', 'query-token-2', 'header-value-3'];
const ENDPOINT = 'http://proxy-user:url-password-1@127.0.0.1:9/v1?token=query-token-2';

describe.each(testBackends())('provider credentials outside the secret fields on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, { definitions: defaultDefinitions, logger: silentLogger });
  });
  afterAll(() => test?.close());
  beforeEach(async () => {
    await test.reset();
    await repos.providers.create(
      {
        id: 'custom',
        name: 'Custom',
        type: 'openai-compatible',
        endpoint: ENDPOINT,
        config: { headers: { 'X-Api-Token': 'header-value-3' } },
      },
      admin,
    );
  });

  const expectNoSecret = (value: unknown) => {
    const text = JSON.stringify(value);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  };

  it('stores them encrypted and gives the gateway the real values', async () => {
    const row = await test.db.prisma.provider.findUniqueOrThrow({ where: { id: 'custom' } });
    expectNoSecret({ endpoint: row.endpoint, settings: row.settings });
    const [provider] = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(provider?.endpoint).toBe(ENDPOINT);
    expect(provider?.config?.headers).toEqual({ 'X-Api-Token': 'header-value-3' });
  });

  it('masks them in records, the audit log and the export', async () => {
    const record = await repos.providers.get('custom');
    expect(record?.config.headers).toEqual({ 'X-Api-Token': '********' });
    expect(record?.endpoint).toContain('127.0.0.1:9');
    expectNoSecret(record);
    expectNoSecret(await repos.providers.list());
    expectNoSecret(await repos.audit.list({ limit: 10 }));
    expectNoSecret(await exportConfig(test.db));
  });

  it('keeps the stored values when the masked ones come back, from a form or an export', async () => {
    const record = await repos.providers.get('custom');
    await repos.providers.update(
      'custom',
      { name: 'Renamed', endpoint: record?.endpoint ?? null, config: record?.config ?? null },
      admin,
    );
    await importConfig(test.db, await exportConfig(test.db), admin, {
      definitions: defaultDefinitions,
      env: {},
    });
    const [provider] = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(provider).toMatchObject({ name: 'Renamed', endpoint: ENDPOINT });
    expect(provider?.config?.headers).toEqual({ 'X-Api-Token': 'header-value-3' });
    await repos.providers.update(
      'custom',
      { config: { headers: { 'X-Api-Token': 'a-new-value' } } },
      admin,
    );
    const [changed] = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(changed?.config?.headers).toEqual({ 'X-Api-Token': 'a-new-value' });
  });
});
