import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { InferenceService } from '@switchyard/core';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { createSeedServices, type SeedServices } from './seed-services.ts';
import type { CloudConfigSettings } from './seed-types.ts';

let openai: OpenAIMock;
let second: OpenAIMock;
let lmStudio: OpenAIMock;
let directory: string;
let services: SeedServices | undefined;

beforeAll(async () => {
  [openai, second, lmStudio] = await Promise.all([
    startOpenAIMock({ apiKey: 'sk-one' }),
    startOpenAIMock({ apiKey: 'sk-two' }),
    startOpenAIMock({ flavor: 'lmstudio' }),
  ]);
});
afterAll(async () => {
  await Promise.all([openai.close(), second.close(), lmStudio.close()]);
  await closeHttpAgent();
});
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sdk-services-'));
  for (const mock of [openai, second, lmStudio]) mock.reset();
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  rmSync(directory, { recursive: true, force: true });
});

const quick: CloudConfigSettings = {
  retryAttempts: 1,
  retryDelay: 10,
  timeout: 5000,
  enableHealthMonitoring: false,
};

async function start(env: Record<string, string | undefined> = {}) {
  services = createSeedServices({
    env: { LM_STUDIO_URL: lmStudio.url, ...env },
    configFile: join(directory, 'cloud-config.json'),
  });
  await services.cloudConfigService.updateConfig(quick);
  return services;
}

const hello = {
  messages: [{ role: 'user' as const, content: 'Hello, how are you?' }],
  max_tokens: 100,
};

function cloudProvider(id: string, mock: OpenAIMock, key: string, priority: number) {
  return {
    id,
    name: id,
    type: 'openai',
    endpoint: mock.url,
    apiKey: key,
    priority,
    enabled: true,
    models: [{ name: 'mock-model' }],
  };
}

describe('createSeedServices', () => {
  it('a model-less request goes to LM Studio with no model, so the server answers with the one it has loaded', async () => {
    const { inferenceService } = await start();
    const response = await inferenceService.chatCompletion(hello);
    expect(response.provider).toBe('lmstudio');
    expect(lmStudio.requests.at(-1)?.body).not.toHaveProperty('model');
  });

  it('a provider added to the config serves the running inferenceService at once, with its default model', async () => {
    const { inferenceService, cloudConfigService } = await start();
    await cloudConfigService.addProvider({
      ...cloudProvider('mine', openai, 'sk-one', 1),
      models: [],
      config: { modelId: 'my-default' },
    });
    inferenceService.switchProvider('cloud');
    const response = await inferenceService.chatCompletion(hello);
    expect(response.provider).toBe('mine');
    expect(openai.requests.at(-1)?.body).toMatchObject({ model: 'my-default' });
  });

  it('REACT_APP_ variables make providers that serve requests', async () => {
    const { inferenceService, cloudConfigService } = await start({
      REACT_APP_OPENAI_API_KEY: 'sk-one',
      REACT_APP_OPENAI_ENDPOINT: openai.url,
    });
    await cloudConfigService.updateProvider('openai', { models: [{ name: 'mock-model' }] });
    inferenceService.switchProvider('cloud');
    expect((await inferenceService.chatCompletion(hello)).provider).toBe('openai');
    expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-one');
  });

  it('cloudInferenceService serves from cloud providers only, in the load-balancing order, retrying', async () => {
    const { cloudInferenceService, cloudConfigService } = await start();
    await cloudConfigService.addProvider(cloudProvider('one', openai, 'sk-one', 1));
    await cloudConfigService.addProvider(cloudProvider('two', second, 'sk-two', 2));
    expect((await cloudInferenceService.chatCompletion(hello)).provider).toBe('one');
    expect(lmStudio.requests).toHaveLength(0);

    openai.failNext({ kind: 'server-error', status: 503 });
    expect((await cloudInferenceService.chatCompletion(hello)).provider).toBe('one');
    expect(openai.requests.filter((request) => request.method === 'POST')).toHaveLength(3);

    await cloudInferenceService.updateConfig({ loadBalancing: 'round-robin' });
    const served = [];
    for (let index = 0; index < 4; index += 1)
      served.push((await cloudInferenceService.chatCompletion(hello)).provider);
    expect(new Set(served)).toEqual(new Set(['one', 'two']));
    expect(cloudInferenceService.getProviders().map((provider) => provider.id)).toEqual([
      'one',
      'two',
    ]);
  });

  it('cloudInferenceService streams from a cloud provider as typed events', async () => {
    const { cloudInferenceService, cloudConfigService } = await start();
    await cloudConfigService.addProvider(cloudProvider('one', openai, 'sk-one', 1));
    let text = '';
    const types = new Set<string>();
    for await (const event of cloudInferenceService.stream(hello)) {
      types.add(event.type);
      if (event.type === 'text-delta') text += event.text;
    }
    expect(text).toBe('Echo: Hello, how are you?');
    expect(types).toEqual(new Set(['start', 'text-delta', 'finish', 'usage']));
    expect(lmStudio.requests).toHaveLength(0);
  });

  it('getHealthStatus is a synchronous array of the cloud providers that shows testProvider results', async () => {
    const { cloudInferenceService, cloudConfigService, inferenceService } = await start();
    await cloudConfigService.addProvider(cloudProvider('one', openai, 'sk-one', 1));
    await cloudConfigService.addProvider(cloudProvider('bad-key', second, 'wrong', 2));
    const tested = await cloudInferenceService.testProvider(cloudConfigService.getProvider('one')!);
    expect(tested).toMatchObject({ providerId: 'one', isHealthy: true });
    expect(tested.responseTime).toEqual(expect.any(Number));
    const failed = await cloudInferenceService.testProvider(
      cloudConfigService.getProvider('bad-key')!,
    );
    expect(failed).toMatchObject({ providerId: 'bad-key', isHealthy: false });
    expect(failed.error).toEqual(expect.any(String));

    const health = cloudInferenceService.getHealthStatus();
    expect(Array.isArray(health)).toBe(true);
    expect(health.map(({ providerId, isHealthy }) => ({ providerId, isHealthy }))).toEqual([
      { providerId: 'one', isHealthy: true },
      { providerId: 'bad-key', isHealthy: false },
    ]);
    const grouped = await inferenceService.getHealthStatus();
    expect(grouped.cloud?.isHealthy).toBe(true);
    expect(grouped['bad-key']?.isHealthy).toBe(false);

    const unsaved = await cloudInferenceService.testProvider(
      cloudProvider('draft', second, 'sk-two', 3),
    );
    expect(unsaved).toMatchObject({ providerId: 'draft', isHealthy: true });
    expect(cloudInferenceService.getHealthStatus().map((entry) => entry.providerId)).not.toContain(
      'draft',
    );
  });

  it('the two seed errors: everything down, and a chosen provider failing without fallback', async () => {
    const { inferenceService, cloudConfigService } = await start({
      LM_STUDIO_URL: 'http://127.0.0.1:9',
    });
    await cloudConfigService.addProvider(cloudProvider('one', openai, 'sk-one', 1));
    openai.setFault({ kind: 'server-error' });
    try {
      await expect(inferenceService.chatCompletion(hello)).rejects.toThrow(
        /No healthy providers available/,
      );
      inferenceService.setConfig({
        defaultProvider: 'one',
        cloudConfig: { enabled: true, autoFallback: false },
      });
      const failure = await inferenceService.chatCompletion(hello).catch((error: unknown) => error);
      expect((failure as Error).message).toMatch(/^Provider test failed for one/);
      expect((failure as Error).message).not.toContain('No healthy providers available');
    } finally {
      openai.setFault(null);
    }
  });

  it('falls back from a stopped LM Studio to the cloud', async () => {
    const { inferenceService, cloudConfigService } = await start({
      LM_STUDIO_URL: 'http://127.0.0.1:9',
    });
    await cloudConfigService.addProvider(cloudProvider('one', openai, 'sk-one', 1));
    inferenceService.setConfig({
      defaultProvider: 'lm-studio',
      cloudConfig: { enabled: true, autoFallback: true },
    });
    expect((await inferenceService.chatCompletion(hello)).provider).toBe('one');
  });

  it('each call makes fresh services; the engine is core’s InferenceService', async () => {
    const first = await start();
    const other = createSeedServices({ env: {}, configFile: join(directory, 'other.json') });
    try {
      expect(other.inferenceService).not.toBe(first.inferenceService);
      expect(other.inferenceService).toBeInstanceOf(InferenceService);
      expect(other.cloudConfigService.getConfig().providers.map((provider) => provider.id)).toEqual(
        ['lmstudio'],
      );
    } finally {
      await other.close();
    }
  });
});
