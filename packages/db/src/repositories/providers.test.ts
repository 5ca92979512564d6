import { ConfigError } from '@switchyard/core';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';

const admin = { userId: 'u1', email: 'admin@example.com', via: 'dashboard' } as const;

describe.each(testBackends())('providers and routes on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, { definitions: defaultDefinitions, logger: silentLogger });
  });
  afterAll(() => test?.close());
  beforeEach(() => test.reset());

  it('stores a provider with encrypted credentials and never returns them', async () => {
    const record = await repos.providers.create(
      {
        id: 'aws',
        name: 'AWS',
        type: 'aws',
        apiKey: 'AKIAEXAMPLE',
        config: { region: 'us-east-1', secretKey: 'aws-secret-value', modelId: 'anthropic.claude' },
        models: [
          {
            name: 'claude',
            id: 'anthropic.claude-v2',
            inputPricePerMTok: 3,
            outputPricePerMTok: 15,
            contextWindow: 200000,
          },
          {
            name: 'titan-embed',
            id: 'amazon.titan-embed-text-v2:0',
            kind: 'embedding',
            dimensions: 1024,
            space: 'titan-v2',
          },
        ],
      },
      admin,
    );
    expect(record).toMatchObject({
      id: 'aws',
      hasApiKey: true,
      hasSecretKey: true,
      hasSessionToken: false,
      priority: 100,
      enabled: true,
    });
    expect(record.config).toEqual({ region: 'us-east-1', modelId: 'anthropic.claude' });
    expect(record.models).toEqual([
      {
        name: 'claude',
        id: 'anthropic.claude-v2',
        inputPricePerMTok: 3,
        outputPricePerMTok: 15,
        contextWindow: 200000,
      },
      {
        name: 'titan-embed',
        id: 'amazon.titan-embed-text-v2:0',
        kind: 'embedding',
        dimensions: 1024,
        space: 'titan-v2',
      },
    ]);
    expect(JSON.stringify(await repos.providers.list())).not.toMatch(
      /AKIAEXAMPLE|aws-secret-value/,
    );
    const row = await test.db.prisma.provider.findUniqueOrThrow({ where: { id: 'aws' } });
    expect(row.apiKeyCipher).not.toContain('AKIAEXAMPLE');
    expect(test.db.secrets.decrypt(row.secretKeyCipher!)).toBe('aws-secret-value');
  });

  it('keeps, clears or replaces a credential on update, and replaces other fields', async () => {
    await repos.providers.create(
      {
        id: 'openai',
        name: 'OpenAI',
        type: 'openai',
        apiKey: 'sk-one',
        limits: { requestsPerMinute: 60 },
      },
      admin,
    );
    const renamed = await repos.providers.update(
      'openai',
      { name: 'OpenAI (prod)', limits: null },
      admin,
    );
    expect(renamed).toMatchObject({ name: 'OpenAI (prod)', hasApiKey: true });
    expect(renamed.limits).toBeUndefined();
    const cipher = async () =>
      (await test.db.prisma.provider.findUniqueOrThrow({ where: { id: 'openai' } })).apiKeyCipher;
    expect(test.db.secrets.decrypt((await cipher())!)).toBe('sk-one');
    await repos.providers.update('openai', { apiKey: 'sk-two' }, admin);
    expect(test.db.secrets.decrypt((await cipher())!)).toBe('sk-two');
    expect((await repos.providers.update('openai', { apiKey: '' }, admin)).hasApiKey).toBe(false);
    expect(await cipher()).toBeNull();
  });

  it('rejects an invalid provider with the field and reason, writing nothing', async () => {
    const attempt = repos.providers.create(
      { id: 'aws', name: 'AWS', type: 'aws', config: { region: 'us-east-1' } },
      admin,
    );
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/apiKey: is required: the AWS access key id/);
    expect(await repos.providers.list()).toEqual([]);
    expect((await repos.audit.list({ limit: 10 })).items).toEqual([]);
  });

  it('refuses a duplicate id with a clear error and leaves the first provider unchanged', async () => {
    await repos.providers.create({ id: 'local', name: 'LM Studio', type: 'lmstudio' }, admin);
    const duplicate = repos.providers.create(
      { id: 'local', name: 'Other', type: 'ollama', apiKey: 'x' },
      admin,
    );
    await expect(duplicate).rejects.toThrow(ConflictError);
    await expect(duplicate).rejects.toThrow('A provider with id "local" already exists');
    expect(await repos.providers.list()).toMatchObject([
      { id: 'local', name: 'LM Studio', type: 'lmstudio', hasApiKey: false },
    ]);
    expect((await repos.audit.list({ limit: 10 })).items).toHaveLength(1);
  });

  it('orders by priority, reorders, and toggles enabled', async () => {
    for (const id of ['a', 'b', 'c'])
      await repos.providers.create({ id, name: id.toUpperCase(), type: 'ollama' }, admin);
    await repos.providers.reorder(['c', 'a'], admin);
    expect(
      (await repos.providers.list()).map((provider) => [provider.id, provider.priority]),
    ).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);
    expect((await repos.providers.setEnabled('b', false, admin)).enabled).toBe(false);
    await expect(repos.providers.reorder(['nope'], admin)).rejects.toThrow(NotFoundError);
    await expect(repos.providers.setEnabled('nope', true, admin)).rejects.toThrow(
      'No provider "nope"',
    );
  });

  it('stores routes with ordered targets and refuses removals that would break references', async () => {
    await repos.providers.create({ id: 'local', name: 'Local', type: 'lmstudio' }, admin);
    await repos.providers.create(
      { id: 'openai', name: 'OpenAI', type: 'openai', apiKey: 'sk' },
      admin,
    );
    await repos.routes.upsert(
      { name: 'cloud', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] },
      admin,
    );
    const route = await repos.routes.upsert(
      {
        name: 'default',
        strategy: 'priority',
        targets: [{ provider: 'local' }, { provider: 'openai', weight: 2 }],
        fallbacks: ['cloud'],
        cache: { enabled: true, ttlSeconds: 60 },
      },
      admin,
    );
    expect(route).toMatchObject({
      name: 'default',
      strategy: 'priority',
      targets: [
        { provider: 'local', weight: 1 },
        { provider: 'openai', weight: 2 },
      ],
      fallbacks: ['cloud'],
      cache: { enabled: true, ttlSeconds: 60 },
    });
    const changed = await repos.routes.upsert(
      { name: 'default', targets: [{ provider: 'openai' }] },
      admin,
    );
    expect(changed.targets).toEqual([{ provider: 'openai', weight: 1 }]);
    expect(changed.fallbacks).toEqual([]);

    await repos.routes.upsert(
      { name: 'default', targets: [{ provider: 'local' }], fallbacks: ['cloud'] },
      admin,
    );
    await expect(repos.providers.remove('local', admin)).rejects.toThrow(
      'Provider "local" is a target of route "default"',
    );
    await expect(repos.routes.remove('cloud', admin)).rejects.toThrow(
      'Route "cloud" is a fallback of "default"',
    );
    await expect(
      repos.routes.upsert({ name: 'broken', targets: [{ provider: 'ghost' }] }, admin),
    ).rejects.toThrow('route "broken".targets[0].provider: unknown provider "ghost"');
    expect(await repos.routes.get('broken')).toBeNull();

    await repos.routes.remove('default', admin);
    await repos.providers.remove('local', admin);
    expect((await repos.providers.list()).map((provider) => provider.id)).toEqual(['openai']);
  });

  it('audits every change with who did it and the record before and after, without secrets', async () => {
    await repos.providers.create(
      { id: 'openai', name: 'OpenAI', type: 'openai', apiKey: 'sk-audit-secret' },
      admin,
    );
    await repos.providers.update('openai', { apiKey: 'sk-audit-secret-2', name: 'Renamed' }, admin);
    await repos.providers.remove('openai', admin);
    const { items } = await repos.audit.list({ limit: 10, entity: 'provider' });
    expect(items.map((item) => item.action)).toEqual(['delete', 'update', 'create']);
    expect(items[1]).toMatchObject({
      actor: admin,
      entityId: 'openai',
      before: { name: 'OpenAI' },
      after: { name: 'Renamed', hasApiKey: true },
    });
    expect(JSON.stringify(items)).not.toContain('sk-audit-secret');
    const firstPage = await repos.audit.list({ limit: 2 });
    expect(firstPage.items).toHaveLength(2);
    const secondPage = await repos.audit.list({ limit: 2, cursor: firstPage.nextCursor! });
    expect(secondPage.items.map((item) => item.action)).toEqual(['create']);
    expect(secondPage.nextCursor).toBeUndefined();
  });
});
