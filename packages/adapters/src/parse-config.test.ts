import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@switchyard/core';
import { defaultDefinitions } from './registry.ts';

function issuesOf(input: unknown, env?: Record<string, string>): string[] {
  try {
    parseConfig(input, defaultDefinitions, env ? { env } : {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig with the default definitions', () => {
  it('accepts the seed document provider examples unchanged', () => {
    const config = parseConfig(
      {
        providers: [
          {
            id: 'my-openai',
            name: 'My OpenAI',
            type: 'openai',
            endpoint: 'https://api.openai.com',
            apiKey: 'sk-...',
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
            enabled: true,
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
          {
            id: 'custom',
            name: 'Custom',
            type: 'custom',
            endpoint: 'https://your-custom-endpoint.com',
            apiKey: 'your_api_key',
            config: { customFormat: { response: { textPath: 'output.text' } } },
            priority: 5,
            enabled: true,
          },
        ],
        loadBalancing: 'priority',
        retryAttempts: 3,
        retryDelay: 1000,
        timeout: 30000,
        enableHealthMonitoring: true,
        healthCheckInterval: 30000,
        healthCheck: { url: '/health', method: 'GET', expectedStatus: 200, timeout: 5000 },
      },
      defaultDefinitions,
    );
    expect(config.providers.map((provider) => provider.type)).toEqual([
      'openai',
      'azure',
      'aws',
      'gcp',
      'custom',
    ]);
    expect(config.providers[2]?.config?.modelId).toBe('anthropic.claude-3-sonnet-20240229-v1:0');
    expect(config.healthCheck?.url).toBe('/health');
  });

  it('names the bad field and why', () => {
    expect(issuesOf({ providers: [{ id: 'x', name: 'X', type: 'nope' }] })[0]).toMatch(
      /^providers\[0\]\.type: must be one of: openai/,
    );
    expect(
      issuesOf({ providers: [{ id: 'x', name: 'X', type: 'openai', endpoint: 'not a url' }] }),
    ).toEqual(['providers[0].endpoint: must be an http(s) URL']);
    expect(issuesOf({ retryAttempts: -1 })[0]).toMatch(/^retryAttempts: /);
    expect(issuesOf({ providers: [{ id: 'a', name: 'A', type: 'azure', apiKey: 'k' }] })).toEqual([
      'providers[0].endpoint: is required for type azure',
    ]);
  });

  it('interpolates ${ENV} references and reports missing ones by field', () => {
    const config = parseConfig(
      { providers: [{ id: 'o', name: 'O', type: 'openai', apiKey: '${OPENAI_API_KEY}' }] },
      defaultDefinitions,
      { env: { OPENAI_API_KEY: 'sk-test' } },
    );
    expect(config.providers[0]?.apiKey).toBe('sk-test');
    expect(
      issuesOf(
        { providers: [{ id: 'o', name: 'O', type: 'openai', apiKey: '${MISSING_KEY}' }] },
        {},
      ),
    ).toEqual(['providers[0].apiKey: environment variable MISSING_KEY is not set']);
  });
});
