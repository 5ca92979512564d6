import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceService } from '@switchyard/core';

const directory = mkdtempSync(join(tmpdir(), 'sdk-lazy-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the ready-made services', () => {
  it('are created on first use from process.env and SWITCHYARD_CONFIG_FILE, and share one config', async () => {
    const configFile = join(directory, 'seed.json');
    const sdk = await import('./index.ts');
    // Importing read nothing: the variables set now are the ones the services see.
    process.env.SWITCHYARD_CONFIG_FILE = configFile;
    process.env.REACT_APP_OPENAI_API_KEY = 'sk-lazy';
    try {
      expect(sdk.inferenceService).toBeInstanceOf(InferenceService);
      expect(sdk.cloudConfigService.getProvider('openai')?.apiKey).toBe('sk-lazy');
      await sdk.cloudConfigService.updateConfig({ enableHealthMonitoring: false });
      await sdk.cloudConfigService.addProvider({
        id: 'local-vllm',
        name: 'vLLM',
        type: 'vllm',
        endpoint: 'http://127.0.0.1:8000',
      });
      expect(await sdk.inferenceService.getAvailableProviders()).toContain('local-vllm');
      expect(sdk.cloudInferenceService.getHealthStatus().map((entry) => entry.providerId)).toEqual([
        'openai',
      ]);
      const reread = sdk.createSeedServices({ configFile });
      expect(reread.cloudConfigService.getProvider('local-vllm')).toBeDefined();
      await reread.close();
    } finally {
      await sdk.inferenceService.close();
      delete process.env.SWITCHYARD_CONFIG_FILE;
      delete process.env.REACT_APP_OPENAI_API_KEY;
    }
  });
});
