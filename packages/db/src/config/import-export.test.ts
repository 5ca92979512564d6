import { ConfigError, hashApiKey } from '@switchyard/core';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { createRepositories, type Repositories } from '../repositories/index.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { exportConfig, loadGatewayConfig } from './export-config.ts';
import { importConfig, importFromEnvironment } from './import-config.ts';

const cli = { via: 'cli' } as const;

/** The seed document's provider examples and global options, unchanged. */
const seedConfig = {
  providers: [
    {
      id: 'my-openai',
      name: 'My OpenAI',
      type: 'openai',
      endpoint: 'https://api.openai.com',
      apiKey: 'sk-seed-openai',
      priority: 1,
      enabled: true,
    },
    {
      id: 'azure',
      name: 'Azure',
      type: 'azure',
      endpoint: 'https://your-resource.openai.azure.com',
      apiKey: 'your_azure_key',
      config: { apiVersion: '2024-02-15-preview' },
      priority: 2,
      enabled: true,
    },
    {
      id: 'aws',
      name: 'AWS',
      type: 'aws',
      endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      apiKey: 'your_access_key_id',
      config: {
        region: 'us-east-1',
        secretKey: 'your_secret_access_key',
        modelId: 'anthropic.claude-3-sonnet-20240229-v1:0',
      },
      priority: 3,
      enabled: false,
    },
    {
      id: 'gcp',
      name: 'Google',
      type: 'gcp',
      endpoint: 'https://generativelanguage.googleapis.com',
      apiKey: 'your_gcp_api_key',
      config: { projectId: 'your_project_id' },
      priority: 4,
      enabled: true,
    },
  ],
  loadBalancing: 'health-based',
  retryAttempts: 2,
  retryDelay: 500,
  timeout: 20000,
  enableHealthMonitoring: true,
  healthCheckInterval: 60000,
  healthCheck: { url: '/health', method: 'GET', expectedStatus: 200, timeout: 5000 },
};

describe.each(testBackends())('config import, export and loading on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, { definitions: defaultDefinitions, logger: silentLogger });
  });
  afterAll(() => test?.close());
  beforeEach(() => test.reset());

  it('imports the seed config; the loader gives core its config back with credentials decrypted', async () => {
    const summary = await importConfig(test.db, seedConfig, cli, {
      definitions: defaultDefinitions,
      env: {},
    });
    expect(summary.providers.created).toEqual(['my-openai', 'azure', 'aws', 'gcp']);
    expect(summary.settings).toEqual([
      'loadBalancing',
      'retryAttempts',
      'retryDelay',
      'timeout',
      'enableHealthMonitoring',
      'healthCheckInterval',
      'healthCheck',
    ]);
    const config = await loadGatewayConfig(test.db, defaultDefinitions);
    expect(config.providers.map((provider) => [provider.id, provider.enabled])).toEqual([
      ['my-openai', true],
      ['azure', true],
      ['aws', false],
      ['gcp', true],
    ]);
    expect(config.providers[2]).toMatchObject({
      apiKey: 'your_access_key_id',
      config: { region: 'us-east-1', secretKey: 'your_secret_access_key' },
    });
    expect(config).toMatchObject({
      loadBalancing: 'health-based',
      retryAttempts: 2,
      retryDelay: 500,
      timeout: 20000,
      healthCheckInterval: 60000,
      autoFallback: true,
    });
    expect((await repos.audit.list({ limit: 5, entity: 'config' })).items[0]).toMatchObject({
      action: 'import',
      actor: cli,
    });
  });

  it('exports without credentials, and importing the export again changes nothing', async () => {
    await importConfig(
      test.db,
      {
        ...seedConfig,
        keys: [{ id: 'ci', name: 'CI', key: 'sk-sy-imported-ci-key', allowedRoutes: ['default'] }],
      },
      cli,
      { definitions: defaultDefinitions, env: {} },
    );
    const exported = await exportConfig(test.db);
    const text = JSON.stringify(exported);
    for (const secret of [
      'sk-seed-openai',
      'your_azure_key',
      'your_secret_access_key',
      'sk-sy-imported-ci-key',
    ])
      expect(text).not.toContain(secret);
    expect(exported.keys).toEqual([
      {
        id: 'ci',
        name: 'CI',
        hash: hashApiKey('sk-sy-imported-ci-key'),
        allowedRoutes: ['default'],
        revoked: false,
      },
    ]);
    const before = await loadGatewayConfig(test.db, defaultDefinitions);
    const again = await importConfig(test.db, JSON.parse(text), cli, {
      definitions: defaultDefinitions,
      env: {},
    });
    expect(again.providers).toEqual({ created: [], updated: ['my-openai', 'azure', 'aws', 'gcp'] });
    expect(again.keys).toEqual({ created: [], updated: ['ci'] });
    expect(await loadGatewayConfig(test.db, defaultDefinitions)).toEqual(before);
    expect((await repos.keys.list())[0]?.prefix).toBe('sk-sy-import');
  });

  it("keeps a route's kind through import, the loader, the repository and export", async () => {
    const file = {
      providers: [
        {
          id: 'my-openai',
          name: 'My OpenAI',
          type: 'openai',
          apiKey: 'sk-seed-openai',
          models: [
            { name: 'small', id: 'text-embedding-3-small', kind: 'embedding', dimensions: 1536 },
          ],
        },
      ],
      routes: [
        { name: 'embed', kind: 'embedding', targets: [{ provider: 'my-openai', model: 'small' }] },
        { name: 'default', targets: [{ provider: 'my-openai' }] },
      ],
    };
    await importConfig(test.db, file, cli, { definitions: defaultDefinitions, env: {} });
    const config = await loadGatewayConfig(test.db, defaultDefinitions);
    expect(config.routes.map((route) => [route.name, route.kind])).toEqual([
      ['embed', 'embedding'],
      ['default', undefined],
    ]);
    const rows = await test.db.prisma.route.findMany({ orderBy: { name: 'asc' } });
    expect(rows.map((row) => [row.name, row.kind])).toEqual([
      ['default', null],
      ['embed', 'embedding'],
    ]);
    expect((await exportConfig(test.db)).routes).toEqual([
      expect.objectContaining({ name: 'embed', kind: 'embedding' }),
      expect.not.objectContaining({ kind: expect.anything() as unknown }),
    ]);

    await repos.routes.upsert({ name: 'default', kind: 'chat', targets: [] }, cli);
    expect((await repos.routes.get('default'))?.kind).toBe('chat');
    await repos.routes.upsert({ name: 'embed', targets: [{ provider: 'my-openai' }] }, cli);
    expect((await repos.routes.get('embed'))?.kind).toBeUndefined();
    await expect(
      repos.routes.upsert({ name: 'x', kind: 'rerank' as 'chat', targets: [] }, cli),
    ).rejects.toThrow(ConfigError);

    await test.db.prisma.route.update({ where: { name: 'embed' }, data: { kind: 'vectors' } });
    await expect(repos.routes.get('embed')).rejects.toThrow(
      'The database holds an unknown model kind "vectors"',
    );
  });

  it("keeps a route's and a key's body logging through import, the loader, the repositories and export", async () => {
    const file = {
      providers: [{ id: 'p', name: 'P', type: 'openai', apiKey: 'sk-p', models: [{ name: 'm' }] }],
      routes: [
        { name: 'logged', logBodies: true, targets: [{ provider: 'p' }] },
        { name: 'private', logBodies: false, targets: [{ provider: 'p' }] },
        { name: 'inherits', targets: [{ provider: 'p' }] },
      ],
      keys: [
        { id: 'k-on', name: 'on', key: 'sk-sy-logged-key-1', logBodies: true },
        { id: 'k-inherit', name: 'inherit', key: 'sk-sy-logged-key-2' },
      ],
    };
    await importConfig(test.db, file, cli, { definitions: defaultDefinitions, env: {} });
    const config = await loadGatewayConfig(test.db, defaultDefinitions);
    expect(config.routes.map((route) => [route.name, route.logBodies])).toEqual([
      ['logged', true],
      ['private', false],
      ['inherits', undefined],
    ]);
    expect(config.keys.map((key) => [key.id, key.logBodies])).toEqual([
      ['k-on', true],
      ['k-inherit', undefined],
    ]);
    const rows = await test.db.prisma.route.findMany({ orderBy: { name: 'asc' } });
    expect(rows.map((row) => [row.name, row.logBodies])).toEqual([
      ['inherits', null],
      ['logged', true],
      ['private', false],
    ]);
    const exported = await exportConfig(test.db);
    expect(exported.routes).toEqual([
      expect.objectContaining({ name: 'logged', logBodies: true }),
      expect.objectContaining({ name: 'private', logBodies: false }),
      expect.not.objectContaining({ logBodies: expect.anything() as unknown }),
    ]);
    expect(exported.keys).toEqual([
      expect.objectContaining({ id: 'k-on', logBodies: true }),
      expect.not.objectContaining({ logBodies: expect.anything() as unknown }),
    ]);

    await repos.routes.upsert({ name: 'logged', targets: [{ provider: 'p' }] }, cli);
    expect((await repos.routes.get('logged'))?.logBodies).toBeUndefined();
    await repos.routes.upsert({ name: 'inherits', logBodies: true, targets: [] }, cli);
    expect((await repos.routes.get('inherits'))?.logBodies).toBe(true);

    const created = await repos.keys.create({ name: 'new', logBodies: false }, cli);
    expect(created.record.logBodies).toBe(false);
    expect(await repos.keys.setLogBodies('k-inherit', false, cli)).toMatchObject({
      logBodies: false,
    });
    expect((await repos.keys.setLogBodies('k-on', null, cli)).logBodies).toBeUndefined();
    const active = await repos.keys.activeKeys();
    expect(active.map((key) => [key.name, key.logBodies])).toEqual([
      ['on', undefined],
      ['inherit', false],
      ['new', false],
    ]);
    await expect(repos.keys.setLogBodies('nope', true, cli)).rejects.toThrow(NotFoundError);
  });

  it('rejects an invalid file naming the field, and leaves the database unchanged', async () => {
    await importConfig(test.db, seedConfig, cli, { definitions: defaultDefinitions, env: {} });
    const before = await exportConfig(test.db);
    const invalid = {
      providers: [
        { id: 'my-openai', name: 'Renamed', type: 'openai', apiKey: 'sk-new' },
        { id: 'az2', name: 'Azure 2', type: 'azure', apiKey: 'k' },
      ],
      routes: [{ name: 'default', targets: [{ provider: 'my-openai' }] }],
      retryAttempts: 1,
    };
    const attempt = importConfig(test.db, invalid, cli, {
      definitions: defaultDefinitions,
      env: {},
      source: 'switchyard.yaml',
    });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      'Invalid configuration in switchyard.yaml: providers[1].endpoint: is required for type azure',
    );
    expect(await exportConfig(test.db)).toEqual(before);
    await expect(
      importConfig(test.db, [1, 2], cli, { definitions: defaultDefinitions }),
    ).rejects.toThrow(ConfigError);
  });

  it('rolls the whole import back on a unique violation', async () => {
    await importConfig(
      test.db,
      { keys: [{ id: 'first', name: 'First', key: 'sk-sy-shared-secret-key' }] },
      cli,
      { definitions: defaultDefinitions, env: {} },
    );
    const before = await exportConfig(test.db);
    const clash = {
      providers: [{ id: 'new-one', name: 'New', type: 'ollama' }],
      keys: [{ id: 'second', name: 'Second', key: 'sk-sy-shared-secret-key' }],
    };
    await expect(
      importConfig(test.db, clash, cli, { definitions: defaultDefinitions, env: {} }),
    ).rejects.toThrow(ConflictError);
    await expect(
      importConfig(test.db, clash, cli, { definitions: defaultDefinitions, env: {} }),
    ).rejects.toThrow('Key "Second" has the same key as another stored key');
    expect(await exportConfig(test.db)).toEqual(before);
  });

  it('matches keys without an id by their key, and never brings a revoked key back', async () => {
    await importConfig(test.db, { keys: [{ name: 'ops', key: 'sk-sy-operations-key' }] }, cli, {
      definitions: defaultDefinitions,
      env: {},
    });
    const [stored] = await repos.keys.list();
    await repos.keys.revoke(stored!.id, cli);
    const summary = await importConfig(
      test.db,
      { keys: [{ name: 'ops renamed', key: 'sk-sy-operations-key', revoked: false }] },
      cli,
      { definitions: defaultDefinitions, env: {} },
    );
    expect(summary.keys).toEqual({ created: [], updated: [stored!.id] });
    expect(await repos.keys.list()).toMatchObject([{ id: stored!.id, name: 'ops renamed' }]);
    expect(await repos.keys.activeKeys()).toEqual([]);
  });

  it('resolves ${ENV} references and imports providers from the seed environment variables', async () => {
    await importConfig(
      test.db,
      { providers: [{ id: 'o', name: 'O', type: 'openai', apiKey: '${MY_OPENAI_KEY}' }] },
      cli,
      { definitions: defaultDefinitions, env: { MY_OPENAI_KEY: 'sk-from-env' } },
    );
    expect((await loadGatewayConfig(test.db, defaultDefinitions)).providers[0]?.apiKey).toBe(
      'sk-from-env',
    );
    await expect(
      importConfig(
        test.db,
        { providers: [{ id: 'o', name: 'O', type: 'openai', apiKey: '${MISSING}' }] },
        cli,
        { definitions: defaultDefinitions, env: {} },
      ),
    ).rejects.toThrow('providers[0].apiKey: environment variable MISSING is not set');

    const summary = await importFromEnvironment(
      test.db,
      {
        REACT_APP_OPENAI_API_KEY: 'sk-react',
        ANTHROPIC_API_KEY: 'sk-ant',
        CUSTOM_ENDPOINTS: 'http://10.0.0.5:8000',
        CUSTOM_API_KEYS: 'k1',
      },
      cli,
      defaultDefinitions,
    );
    expect(summary.providers.created).toEqual(['openai', 'anthropic', 'custom-1']);
    const providers = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(providers.find((provider) => provider.id === 'openai')?.apiKey).toBe('sk-react');
    expect(providers.find((provider) => provider.id === 'custom-1')).toMatchObject({
      type: 'openai-compatible',
      endpoint: 'http://10.0.0.5:8000',
      apiKey: 'k1',
    });
  });

  it('keeps stored credentials and models when a file leaves them out', async () => {
    await repos.providers.create(
      {
        id: 'openai',
        name: 'OpenAI',
        type: 'openai',
        apiKey: 'sk-keep',
        models: [{ name: 'gpt-4o', inputPricePerMTok: 2.5 }],
      },
      cli,
    );
    await importConfig(
      test.db,
      { providers: [{ id: 'openai', name: 'OpenAI (imported)', type: 'openai' }] },
      cli,
      { definitions: defaultDefinitions, env: {} },
    );
    const [provider] = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(provider).toMatchObject({
      name: 'OpenAI (imported)',
      apiKey: 'sk-keep',
      models: [{ name: 'gpt-4o', inputPricePerMTok: 2.5 }],
    });
  });

  it('leaves ${VAR} references as written when told not to interpolate (dashboard imports)', async () => {
    const env = { HOME: '/home/operator', SWITCHYARD_SECRET_KEY: 'the-real-secret-key' };
    await importConfig(
      test.db,
      {
        providers: [
          {
            id: 'leak',
            name: 'leak ${HOME}',
            type: 'openai-compatible',
            endpoint: 'http://127.0.0.1:9',
            apiKey: '${SWITCHYARD_SECRET_KEY}',
          },
        ],
      },
      cli,
      { definitions: defaultDefinitions, env, interpolation: 'none' },
    );
    const [provider] = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(provider).toMatchObject({ name: 'leak ${HOME}', apiKey: '${SWITCHYARD_SECRET_KEY}' });
  });

  it('reads only the allow-listed prefixes in the CLI, the same refusal for set and unset names', async () => {
    const env = { HOME: '/home/operator', OPENAI_API_KEY: 'sk-from-env' };
    const file = (name: string) => ({
      providers: [{ id: 'p', name: `\${${name}}`, type: 'openai', apiKey: '${OPENAI_API_KEY}' }],
    });
    const options = {
      definitions: defaultDefinitions,
      env,
      interpolation: 'allow-listed' as const,
    };
    const refusal = async (name: string) => {
      const error = await importConfig(test.db, file(name), cli, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map((issue) => issue.message.replace(name, 'NAME'));
    };
    expect(await refusal('HOME')).toEqual(await refusal('NOT_SET_ANYWHERE'));
    await importConfig(test.db, file('OPENAI_API_KEY'), cli, options);
    const [provider] = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(provider).toMatchObject({ name: 'sk-from-env', apiKey: 'sk-from-env' });
  });

  it('refuses an import that moves a provider to another host with its stored key', async () => {
    await repos.providers.create(
      { id: 'gem', name: 'Gemini', type: 'gemini', apiKey: 'gemini-stored-key' },
      cli,
    );
    const moved = {
      providers: [{ id: 'gem', name: 'Gemini', type: 'gemini', endpoint: 'http://evil.example' }],
    };
    const error = await importConfig(test.db, moved, cli, {
      definitions: defaultDefinitions,
      env: {},
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
      'providers[0].apiKey',
    ]);
    const withKey = { providers: [{ ...moved.providers[0], apiKey: 'key-for-the-new-host' }] };
    await importConfig(test.db, withKey, cli, { definitions: defaultDefinitions, env: {} });
    const [provider] = (await loadGatewayConfig(test.db, defaultDefinitions)).providers;
    expect(provider).toMatchObject({
      endpoint: 'http://evil.example',
      apiKey: 'key-for-the-new-host',
    });
  });
});
