import { afterEach, describe, expect, it } from 'vitest';
import { createInferenceService, type InferenceService } from './inference-service.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import type { StreamEvent } from '../spec/stream-events.ts';

let service: InferenceService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

function seedService(adapters: Record<string, ScriptedAdapter>) {
  service = createInferenceService({
    // The seed document's shapes: a local LM Studio server and cloud providers, seed globals.
    config: {
      providers: [
        {
          id: 'lm',
          name: 'LM Studio (local)',
          type: 'lmstudio',
          endpoint: 'http://127.0.0.1:1234',
          priority: 1,
          enabled: true,
        },
        {
          id: 'my-openai',
          name: 'My OpenAI',
          type: 'openai',
          endpoint: 'https://api.openai.com',
          apiKey: 'sk-...',
          priority: 2,
          enabled: true,
          models: [{ name: 'gpt-4o-mini' }],
        },
      ],
      loadBalancing: 'priority',
      retryAttempts: 0,
      retryDelay: 10,
      timeout: 1000,
      enableHealthMonitoring: false,
      healthCheckInterval: 30000,
    },
    adapters: scriptedRegistry(adapters, { local: ['lmstudio'] }),
  });
  return service;
}

describe('InferenceService (the seed API)', () => {
  it('chatCompletion answers and names the provider', async () => {
    const service = seedService({
      lm: new ScriptedAdapter('lm'),
      'my-openai': new ScriptedAdapter('my-openai'),
    });
    const response = await service.chatCompletion({
      messages: [{ role: 'user', content: 'Hello, how are you?' }],
      max_tokens: 100,
    });
    expect(response.provider).toBe('lm');
    expect(response.choices[0]?.message.content).toBe('answer from lm');
  });

  it("switchProvider('cloud') sends requests to cloud providers first", async () => {
    const service = seedService({
      lm: new ScriptedAdapter('lm'),
      'my-openai': new ScriptedAdapter('my-openai'),
    });
    service.switchProvider('cloud');
    expect(service.getProvider()).toBe('cloud');
    expect(
      (await service.chatCompletion({ messages: [{ role: 'user', content: 'hi' }] })).provider,
    ).toBe('my-openai');
    service.switchProvider('lm-studio');
    expect(
      (await service.chatCompletion({ messages: [{ role: 'user', content: 'hi' }] })).provider,
    ).toBe('lm');
  });

  it('setConfig with autoFallback falls back from LM Studio to the cloud when LM Studio is down', async () => {
    const lm = new ScriptedAdapter('lm', [], {
      fail: { kind: 'connection', message: 'connection refused (is the server running?)' },
    });
    const service = seedService({ lm, 'my-openai': new ScriptedAdapter('my-openai') });
    service.setConfig({
      defaultProvider: 'lm-studio',
      cloudConfig: { enabled: true, autoFallback: true },
    });
    expect(
      (await service.chatCompletion({ messages: [{ role: 'user', content: 'hi' }] })).provider,
    ).toBe('my-openai');
  });

  it("throws 'No healthy providers available' when every provider is down", async () => {
    const down = { fail: { kind: 'connection' as const, message: 'connection refused' } };
    const service = seedService({
      lm: new ScriptedAdapter('lm', [], down),
      'my-openai': new ScriptedAdapter('my-openai', [], down),
    });
    await expect(
      service.chatCompletion({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toThrow(/No healthy providers available/);
  });

  it("throws 'Provider test failed' when a provider chosen without fallback fails", async () => {
    const service = seedService({
      lm: new ScriptedAdapter('lm'),
      'my-openai': new ScriptedAdapter('my-openai', [], { fail: { kind: 'server', status: 500 } }),
    });
    service.setConfig({
      defaultProvider: 'my-openai',
      cloudConfig: { enabled: true, autoFallback: false },
    });
    await expect(
      service.chatCompletion({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toThrow(/Provider test failed/);
    const failure = await service
      .chatCompletion({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/^Provider test failed for my-openai: /);
    expect((failure as Error).message).not.toContain('No healthy providers available');
    await expect(service.assertProvider('nope')).rejects.toThrow(/Provider test failed/);
  });

  it('cloudConfig.enabled=false keeps requests on local providers', async () => {
    const lm = new ScriptedAdapter('lm', [{ fail: { kind: 'server' } }]);
    const service = seedService({ lm, 'my-openai': new ScriptedAdapter('my-openai') });
    service.setConfig({
      defaultProvider: 'auto',
      cloudConfig: { enabled: false, autoFallback: true },
    });
    await expect(
      service.chatCompletion({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toThrow(/No healthy providers available/);
    expect(await service.getAvailableProviders()).toEqual(['lm-studio', 'lm']);
  });

  it('rejects a request without messages with the seed message', async () => {
    const service = seedService({
      lm: new ScriptedAdapter('lm'),
      'my-openai': new ScriptedAdapter('my-openai'),
    });
    await expect(service.chatCompletion({ messages: [] })).rejects.toThrow(/Messages are required/);
  });

  it('getAvailableProviders, testProvider and getHealthStatus report the seed groups and each provider', async () => {
    const service = seedService({
      lm: new ScriptedAdapter('lm'),
      'my-openai': new ScriptedAdapter('my-openai'),
    });
    const providers = await service.getAvailableProviders();
    expect(providers).toEqual(['lm-studio', 'cloud', 'lm', 'my-openai']);
    for (const provider of providers) expect(await service.testProvider(provider)).toBe(true);
    const health = await service.getHealthStatus();
    expect(health['lm-studio']?.isHealthy).toBe(true);
    expect(health.cloud?.isHealthy).toBe(true);
    expect(health['my-openai']).toMatchObject({ isHealthy: true });
  });

  it('stream yields typed events ending in finish and usage', async () => {
    const service = seedService({
      lm: new ScriptedAdapter('lm', [{ stream: ['Hel', 'lo'] }]),
      'my-openai': new ScriptedAdapter('my-openai'),
    });
    const events: StreamEvent[] = [];
    for await (const event of service.stream({ messages: [{ role: 'user', content: 'hi' }] }))
      events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'start',
      'text-delta',
      'text-delta',
      'finish',
      'usage',
    ]);
  });
});
