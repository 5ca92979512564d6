import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDefinitions } from '@switchyard/adapters';
import { ConfigError, type Environment } from '@switchyard/core';
import { CloudConfigService } from './cloud-config-service.ts';
import type { CloudConfig } from './seed-types.ts';

let directory: string;
let configFile: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sdk-config-'));
  configFile = join(directory, '.switchyard', 'cloud-config.json');
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function service(env: Environment = {}) {
  return new CloudConfigService({ env, configFile, registry: defaultDefinitions });
}

const myOpenAI = {
  id: 'my-openai',
  name: 'My OpenAI',
  type: 'openai',
  endpoint: 'https://api.openai.com',
  apiKey: 'sk-...',
  priority: 1,
  enabled: true,
};

function fileContent(): CloudConfig {
  return JSON.parse(readFileSync(configFile, 'utf8')) as CloudConfig;
}

describe('CloudConfigService', () => {
  it('with no environment holds only the local LM Studio server, at its default address', () => {
    const config = service().getConfig();
    expect(config.providers).toEqual([
      expect.objectContaining({
        id: 'lmstudio',
        type: 'lmstudio',
        endpoint: 'http://127.0.0.1:1234',
      }),
    ]);
    expect(config).toMatchObject({ loadBalancing: 'priority', retryAttempts: 3, timeout: 30000 });
    expect(
      service({ REACT_APP_LM_STUDIO_URL: 'http://127.0.0.1:9999' }).getProvider('lmstudio'),
    ).toMatchObject({ endpoint: 'http://127.0.0.1:9999' });
  });

  it("loads the seed's REACT_APP_ variables", () => {
    const ids = service({
      REACT_APP_OPENAI_API_KEY: 'sk-env',
      REACT_APP_AZURE_API_KEY: 'az',
      REACT_APP_AZURE_ENDPOINT: 'https://your-resource.openai.azure.com',
      REACT_APP_AWS_ACCESS_KEY_ID: 'AKIA',
      REACT_APP_AWS_SECRET_ACCESS_KEY: 'secret',
      REACT_APP_AWS_REGION: 'us-east-1',
      REACT_APP_GCP_API_KEY: 'g',
      REACT_APP_GCP_PROJECT_ID: 'p',
      REACT_APP_CUSTOM_ENDPOINTS: 'https://one.example.com,https://two.example.com',
      REACT_APP_CUSTOM_API_KEYS: 'k1,k2',
    })
      .getConfig()
      .providers.map((provider) => provider.id);
    expect(ids).toEqual(['lmstudio', 'openai', 'azure', 'aws', 'gcp', 'custom-1', 'custom-2']);
  });

  it('adds a provider, writes the whole CloudConfig atomically with mode 0600, and reads it back after a restart', async () => {
    const first = service();
    await first.addProvider(myOpenAI);
    expect(first.getConfig().providers.map((provider) => provider.id)).toEqual([
      'lmstudio',
      'my-openai',
    ]);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(fileContent()).toMatchObject({
      providers: [myOpenAI],
      loadBalancing: 'priority',
      retryAttempts: 3,
      retryDelay: 1000,
      timeout: 30000,
      enableHealthMonitoring: true,
      healthCheckInterval: 30000,
    });
    expect(service().getProvider('my-openai')).toEqual(myOpenAI);
  });

  it('rejects a bad provider naming the field, and stores nothing', async () => {
    const config = service();
    const failure = await config
      .addProvider({ ...myOpenAI, endpoint: 'not a url' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).issues.map((issue) => issue.path)).toEqual(['endpoint']);
    expect((failure as Error).message).toContain('endpoint: must be an http(s) URL');
    await expect(
      config.addProvider({
        id: 'aws',
        name: 'AWS',
        type: 'aws',
        apiKey: 'AKIA',
        config: { region: 'us-east-1' },
      }),
    ).rejects.toThrow(/config\.secretKey/);
    await expect(config.addProvider({ ...myOpenAI, type: 'nope' })).rejects.toThrow(/^.*type: /);
    expect(config.getConfig().providers.map((provider) => provider.id)).toEqual(['lmstudio']);
    expect(existsSync(configFile)).toBe(false);
    await config.addProvider(myOpenAI);
    await expect(config.addProvider(myOpenAI)).rejects.toThrow(/id: .*already exists/);
  });

  it('updates and removes providers; an environment provider keeps its secret out of the file', async () => {
    const env = { OPENAI_API_KEY: 'sk-from-env' };
    const config = service(env);
    await config.addProvider(myOpenAI);
    await config.updateProvider('my-openai', { priority: 7 });
    expect(config.getProvider('my-openai')?.priority).toBe(7);
    await config.updateProvider('openai', { models: [{ name: 'gpt-4o-mini' }] });
    const stored = readFileSync(configFile, 'utf8');
    expect(stored).not.toContain('sk-from-env');
    expect(stored).toContain('sk-...');
    const restarted = service(env);
    expect(restarted.getProvider('openai')).toMatchObject({
      apiKey: 'sk-from-env',
      models: [{ name: 'gpt-4o-mini' }],
    });
    await expect(restarted.removeProvider('openai')).rejects.toThrow(/comes from the environment/);
    await restarted.removeProvider('my-openai');
    expect(restarted.getProvider('my-openai')).toBeUndefined();
    expect(service(env).getProvider('my-openai')).toBeUndefined();
  });

  it('file providers win over environment ones with the same id', () => {
    writeFileSync(
      join(directory, 'own.json'),
      JSON.stringify({
        providers: [{ id: 'openai', name: 'Mine', type: 'openai', apiKey: 'sk-file', priority: 9 }],
        retryAttempts: 1,
      }),
    );
    configFile = join(directory, 'own.json');
    const config = service({ OPENAI_API_KEY: 'sk-env' }).getConfig();
    expect(config.providers.find((provider) => provider.id === 'openai')).toMatchObject({
      name: 'Mine',
      apiKey: 'sk-file',
      priority: 9,
    });
    expect(config.retryAttempts).toBe(1);
  });

  it('tells listeners about every change until they unsubscribe; validates without applying', async () => {
    const config = service();
    const seen: string[][] = [];
    const off = config.onChange((next) => seen.push(next.providers.map((provider) => provider.id)));
    await config.addProvider(myOpenAI);
    await config.updateConfig({ loadBalancing: 'round-robin' });
    off();
    await config.removeProvider('my-openai');
    expect(seen).toEqual([
      ['lmstudio', 'my-openai'],
      ['lmstudio', 'my-openai'],
    ]);
    expect(config.getConfig().loadBalancing).toBe('round-robin');
    expect(config.validate({ loadBalancing: 'priority' })).toEqual({ isValid: true, errors: [] });
    const invalid = config.validate({ retryAttempts: -1, providers: [{ ...myOpenAI, id: '' }] });
    expect(invalid.isValid).toBe(false);
    expect(invalid.errors.join('\n')).toMatch(/retryAttempts/);
    expect(invalid.errors.join('\n')).toMatch(/providers\[0\]\.id/);
    await expect(config.updateConfig({ healthCheckInterval: 5 })).rejects.toThrow(
      /healthCheckInterval/,
    );
  });

  it('offers the templates of every provider type and reads the environment again on loadFromEnv', () => {
    const env: Record<string, string> = {};
    const config = service(env);
    expect(config.getTemplates().map((template) => template.type)).toEqual(
      expect.arrayContaining(['openai', 'azure', 'aws', 'gcp', 'custom', 'lmstudio']),
    );
    env.REACT_APP_OPENAI_API_KEY = 'sk-late';
    expect(config.loadFromEnv().map((provider) => provider.id)).toEqual(['lmstudio', 'openai']);
    expect(config.getProvider('openai')?.apiKey).toBe('sk-late');
  });
});
