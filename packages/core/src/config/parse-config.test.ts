import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { providerSettingsSchema } from './config-schema.ts';
import { parseConfig } from './parse-config.ts';
import type { ProviderDefinition, ProviderRegistry } from '../spec/provider-definition.ts';
import { ScriptedAdapter } from '../test-support/scripted-adapter.ts';

const capabilities = {
  streamingUsage: true,
  tools: true,
  structuredOutput: true,
  assistantPrefill: false,
  embeddings: false,
  modelListing: true,
};

const regionalSettings = providerSettingsSchema.extend({ region: z.string().optional() });

/** A cloud vendor whose endpoint follows from its region, with a check beyond the schema. */
const regional: ProviderDefinition<z.output<typeof regionalSettings>> = {
  types: ['regional', 'regional-alias'],
  settingsSchema: regionalSettings,
  capabilities,
  missingEndpointMessage: 'is required (or set config.region)',
  defaultEndpoint: (settings) =>
    settings.region ? `https://${settings.region}.regional.test` : undefined,
  isLocal: () => false,
  validate: (provider) =>
    provider.apiKey ? [] : [{ path: 'apiKey', message: 'is required: the regional key' }],
  create: (provider) => new ScriptedAdapter(provider.id),
};

const server: ProviderDefinition = {
  types: ['server'],
  settingsSchema: providerSettingsSchema,
  capabilities,
  isLocal: (provider) => provider.endpoint?.startsWith('http://127.') ?? false,
  create: (provider) => new ScriptedAdapter(provider.id),
};

const registry: ProviderRegistry = [regional, server];

function issuesOf(input: unknown, env?: Record<string, string>): string[] {
  try {
    parseConfig(input, registry, env ? { env } : {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('names the known types when a provider has another', () => {
    expect(issuesOf({ providers: [{ id: 'x', name: 'X', type: 'nope' }] })).toEqual([
      'providers[0].type: must be one of: regional, regional-alias, server',
    ]);
  });

  it("checks each provider's config with its vendor's schema, naming the field", () => {
    expect(
      issuesOf({
        providers: [
          { id: 'r', name: 'R', type: 'regional-alias', apiKey: 'k', config: { region: 5 } },
        ],
      }),
    ).toEqual(['providers[0].config.region: Invalid input: expected string, received number']);
  });

  it('keeps unknown settings, as the seed does', () => {
    const config = parseConfig(
      {
        providers: [
          { id: 'r', name: 'R', type: 'regional', apiKey: 'k', config: { region: 'eu', extra: 1 } },
        ],
      },
      registry,
    );
    expect(config.providers[0]?.config).toEqual({ region: 'eu', extra: 1 });
  });

  it("fills in the vendor's default endpoint, or says why one is needed", () => {
    const config = parseConfig(
      {
        providers: [
          { id: 'r', name: 'R', type: 'regional', apiKey: 'k', config: { region: 'eu' } },
        ],
      },
      registry,
    );
    expect(config.providers[0]?.endpoint).toBe('https://eu.regional.test');
    expect(
      issuesOf({ providers: [{ id: 'r', name: 'R', type: 'regional', apiKey: 'k' }] }),
    ).toEqual(['providers[0].endpoint: is required (or set config.region)']);
    expect(issuesOf({ providers: [{ id: 's', name: 'S', type: 'server' }] })).toEqual([
      'providers[0].endpoint: is required for type server',
    ]);
  });

  it("reports the vendor's own checks under the provider's path", () => {
    expect(
      issuesOf({
        providers: [
          { id: 's', name: 'S', type: 'server', endpoint: 'http://127.0.0.1:1' },
          { id: 'r', name: 'R', type: 'regional', config: { region: 'eu' } },
        ],
      }),
    ).toEqual(['providers[1].apiKey: is required: the regional key']);
  });

  it('asks the definition whether a provider is local, unless the config says so', () => {
    const config = parseConfig(
      {
        providers: [
          { id: 'near', name: 'Near', type: 'server', endpoint: 'http://127.0.0.1:1' },
          { id: 'far', name: 'Far', type: 'server', endpoint: 'https://far.test' },
          { id: 'lan', name: 'LAN', type: 'server', endpoint: 'http://10.0.0.2', local: true },
        ],
      },
      registry,
    );
    expect(config.providers.map((provider) => provider.local)).toEqual([true, false, true]);
  });

  it('names the bad field and why', () => {
    expect(
      issuesOf({ providers: [{ id: 'x', name: 'X', type: 'server', endpoint: 'not a url' }] }),
    ).toEqual(['providers[0].endpoint: must be an http(s) URL']);
    expect(issuesOf({ retryAttempts: -1 })[0]).toMatch(/^retryAttempts: /);
  });

  it('interpolates ${ENV} references and reports missing ones by field', () => {
    const config = parseConfig(
      {
        providers: [
          { id: 's', name: 'S', type: 'server', endpoint: 'http://127.0.0.1:1', apiKey: '${KEY}' },
        ],
      },
      registry,
      { env: { KEY: 'sk-test' } },
    );
    expect(config.providers[0]?.apiKey).toBe('sk-test');
    expect(
      issuesOf(
        { providers: [{ id: 's', name: 'S', type: 'server', apiKey: '${MISSING_KEY}' }] },
        {},
      ),
    ).toEqual(['providers[0].apiKey: environment variable MISSING_KEY is not set']);
  });

  it('reads only allow-listed variables when told, with one answer whether a variable exists or not', () => {
    const provider = (apiKey: string) => ({
      providers: [{ id: 's', name: 'S', type: 'server', endpoint: 'http://127.0.0.1:1', apiKey }],
    });
    const env = { HOME: '/home/operator', OPENAI_API_KEY: 'sk-allowed' };
    const options = { env, allowedEnvPrefixes: ['OPENAI_'] };
    expect(parseConfig(provider('${OPENAI_API_KEY}'), registry, options).providers[0]?.apiKey).toBe(
      'sk-allowed',
    );
    const refusal = (name: string) => {
      try {
        parseConfig(provider(`\${${name}}`), registry, options);
      } catch (error) {
        return (error as ConfigError).issues.map((issue) => issue.message.replace(name, 'NAME'));
      }
      throw new Error('the reference was read');
    };
    expect(refusal('HOME')).toEqual(refusal('NOT_SET_ANYWHERE'));
    expect(refusal('HOME')[0]).toMatch(/may not be referenced here/);
    expect(refusal('HOME')[0]).not.toContain('/home/operator');
  });
});
