import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { providerSchema, providerSettingsSchema } from './config-schema.ts';
import { environmentList, environmentValue } from './environment.ts';
import {
  createAdapter,
  findDefinition,
  knownProviderTypes,
  providersFromEnv,
  providerTemplates,
} from './provider-registry.ts';
import type { ProviderDefinition, ProviderRegistry } from '../spec/provider-definition.ts';
import { ScriptedAdapter } from '../test-support/scripted-adapter.ts';

const capabilities = {
  streamingUsage: false,
  tools: false,
  structuredOutput: false,
  assistantPrefill: false,
  embeddings: false,
  modelListing: false,
};

const strictSettings = providerSettingsSchema.extend({ size: z.number().optional() });

const first: ProviderDefinition<z.output<typeof strictSettings>> = {
  types: ['first', 'first-alias'],
  settingsSchema: strictSettings,
  capabilities,
  templates: [
    { type: 'first', label: 'First', fields: [] },
    { type: 'first-alias', label: 'First again', fields: [] },
  ],
  isLocal: () => false,
  fromEnvironment: (env) => {
    const apiKey = environmentValue(env, 'FIRST_KEY');
    return apiKey ? [{ id: 'first', name: 'First', type: 'first', apiKey }] : [];
  },
  create: (provider, settings) => new ScriptedAdapter(`${provider.id}:${settings.size ?? 0}`),
};

const second: ProviderDefinition = {
  types: ['second'],
  settingsSchema: providerSettingsSchema,
  capabilities,
  isLocal: () => true,
  fromEnvironment: (env) =>
    environmentList(env, 'SECOND_URLS').map((endpoint, index) => ({
      id: `second-${index + 1}`,
      name: 'Second',
      type: 'second',
      endpoint,
    })),
  create: (provider) => new ScriptedAdapter(provider.id),
};

const registry: ProviderRegistry = [first, second];

describe('the provider registry', () => {
  it('lists every type in registry order and finds a definition by any of its types', () => {
    expect(knownProviderTypes(registry)).toEqual(['first', 'first-alias', 'second']);
    expect(findDefinition(registry, 'first-alias')).toBe(first);
    expect(findDefinition(registry, 'third')).toBeUndefined();
  });

  it('collects the templates the definitions offer', () => {
    expect(providerTemplates(registry).map((template) => template.label)).toEqual([
      'First',
      'First again',
    ]);
  });

  it("reads each vendor's variables, with the seed's REACT_APP_ aliases, in registry order", () => {
    expect(
      providersFromEnv(
        { SECOND_URLS: ' http://a.test , ,http://b.test', REACT_APP_FIRST_KEY: ' k ' },
        registry,
      ).map((provider) => [provider.id, provider.apiKey ?? provider.endpoint]),
    ).toEqual([
      ['first', 'k'],
      ['second-1', 'http://a.test'],
      ['second-2', 'http://b.test'],
    ]);
  });

  it("builds an adapter with the provider's parsed settings, or says which setting is wrong", () => {
    const provider = providerSchema.parse({
      id: 'p',
      name: 'P',
      type: 'first-alias',
      config: { size: 3 },
    });
    expect(createAdapter(registry, provider)?.providerId).toBe('p:3');
    expect(createAdapter(registry, { ...provider, type: 'third' })).toBeUndefined();
    expect(() => createAdapter(registry, { ...provider, config: { size: 'big' } })).toThrow(
      ConfigError,
    );
    expect(() => createAdapter(registry, { ...provider, config: { size: 'big' } })).toThrow(
      'config.size',
    );
  });
});
