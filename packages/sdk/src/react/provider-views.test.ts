import { describe, expect, it } from 'vitest';
import { defaultDefinitions } from '@switchyard/adapters';
import { ConfigError, providerTemplates } from '@switchyard/core';
import {
  asActionResult,
  asChoice,
  toGroupHealth,
  toProviderView,
  toServicePatch,
} from './provider-views.ts';

const templates = providerTemplates(defaultDefinitions);

describe('toProviderView', () => {
  it('keeps the settings, turns the secrets into flags and fills in the defaults', () => {
    const view = toProviderView(
      {
        id: 'bedrock',
        name: 'Bedrock',
        type: 'aws',
        apiKey: 'AKIA-secret',
        config: { region: 'us-east-1', secretKey: 'very-secret' },
      },
      templates,
    );
    expect(view).toMatchObject({
      id: 'bedrock',
      endpoint: null,
      priority: 100,
      enabled: true,
      weight: 1,
      hasApiKey: true,
      hasSecretKey: true,
      hasSessionToken: false,
      config: { region: 'us-east-1' },
    });
    expect(JSON.stringify(view)).not.toContain('secret');
  });
});

describe('toServicePatch', () => {
  it('turns the secrets the form cleared into removals, and keeps the rest', () => {
    expect(
      toServicePatch({
        name: 'Renamed',
        apiKey: '',
        config: { region: 'eu-west-1', secretKey: '' },
      }),
    ).toEqual({
      name: 'Renamed',
      apiKey: undefined,
      config: { region: 'eu-west-1', secretKey: undefined },
    });
    expect(toServicePatch({ apiKey: 'sk-new' })).toEqual({ apiKey: 'sk-new' });
  });
});

describe('asActionResult', () => {
  it('reports validation issues by field, and other errors by message', async () => {
    const invalid = new ConfigError([{ path: 'endpoint', message: 'must be an http(s) URL' }]);
    expect(await asActionResult(() => Promise.reject(invalid))).toEqual({
      ok: false,
      message: invalid.message,
      fieldErrors: { endpoint: 'must be an http(s) URL' },
    });
    expect(await asActionResult(() => Promise.reject(new Error('disk full')))).toEqual({
      ok: false,
      message: 'disk full',
    });
    expect(await asActionResult(() => Promise.resolve())).toEqual({ ok: true });
  });
});

describe('toGroupHealth and asChoice', () => {
  it('reads the two groups of getHealthStatus() as badges', () => {
    expect(
      toGroupHealth({
        'lm-studio': { isHealthy: false, error: 'connection refused' },
        cloud: { isHealthy: true, responseTime: 120 },
        openai: { isHealthy: true, responseTime: 120 },
      }),
    ).toEqual({
      'lm-studio': { status: 'down', latencyMs: null, detail: 'connection refused' },
      cloud: { status: 'healthy', latencyMs: 120, detail: null },
    });
  });

  it('knows the three groups from a provider id', () => {
    expect(['lm-studio', 'cloud', 'auto', 'openai'].map(asChoice)).toEqual([
      'lm-studio',
      'cloud',
      'auto',
      undefined,
    ]);
  });
});
