import {
  knownProviderTypes,
  parseConfig,
  providersFromEnv,
  type ConfigError,
  providerTemplates as templatesOf,
  type ProviderInput,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { defaultDefinitions } from './registry.ts';

const providerTemplates = templatesOf(defaultDefinitions);

/** A provider filled in the way the dashboard form would: every required field, nothing else. */
function fromTemplate(template: (typeof providerTemplates)[number]): ProviderInput {
  const provider: Record<string, unknown> = {
    id: `t-${template.type}`,
    name: template.label,
    type: template.type,
  };
  const config: Record<string, unknown> = {};
  for (const field of template.fields.filter((candidate) => candidate.required)) {
    const value =
      field.name === 'endpoint'
        ? 'https://example.test'
        : field.name === 'config.customFormat'
          ? { response: { textPath: 'text' } }
          : field.name === 'config.region'
            ? 'eu-west-1'
            : 'value';
    if (field.name.startsWith('config.')) config[field.name.slice('config.'.length)] = value;
    else provider[field.name] = value;
  }
  if (Object.keys(config).length > 0) provider.config = config;
  return provider as ProviderInput;
}

describe('provider templates', () => {
  it('cover every provider type once', () => {
    expect(providerTemplates.map((template) => template.type)).toEqual(
      knownProviderTypes(defaultDefinitions),
    );
  });

  it('offer each vendor once; a second name points at the entry offered for it', () => {
    const offered = providerTemplates.filter((template) => template.aliasOf === undefined);
    const labels = offered.map((template) => template.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const alias of providerTemplates.filter((template) => template.aliasOf !== undefined)) {
      const main = offered.find((template) => template.type === alias.aliasOf);
      expect(main?.label, alias.type).toBe(alias.label);
    }
    expect(providerTemplates.find((template) => template.type === 'aws')?.aliasOf).toBe('bedrock');
    expect(providerTemplates.find((template) => template.type === 'gcp')?.aliasOf).toBe('gemini');
  });

  it('show no example that could pass for a value; real defaults are filled in', () => {
    for (const template of providerTemplates)
      for (const field of template.fields)
        if (field.placeholder !== undefined && field.name !== 'endpoint')
          expect.fail(`${template.type} ${field.name} has the placeholder "${field.placeholder}"`);
    const region = providerTemplates
      .find((template) => template.type === 'bedrock')
      ?.fields.find((field) => field.name === 'config.region');
    expect(region?.defaultValue).toBe('us-east-1');
  });

  it('ask for exactly enough: a provider with only the required fields is valid', () => {
    const config = parseConfig(
      { providers: providerTemplates.map(fromTemplate) },
      defaultDefinitions,
    );
    for (const template of providerTemplates) {
      const provider = config.providers.find((candidate) => candidate.type === template.type);
      if (template.defaultEndpoint) expect(provider?.endpoint).toBe(template.defaultEndpoint);
    }
    expect(config.providers.find((provider) => provider.type === 'aws')?.endpoint).toBe(
      'https://bedrock-runtime.eu-west-1.amazonaws.com',
    );
  });

  it('mark credentials as secret, and only credentials', () => {
    const secrets = providerTemplates.flatMap((template) =>
      template.fields.filter((field) => field.secret).map((field) => field.name),
    );
    expect(new Set(secrets)).toEqual(
      new Set(['apiKey', 'config.secretKey', 'config.sessionToken']),
    );
  });
});

describe('the default definitions', () => {
  it("load the seed's environment variables (and their REACT_APP_ aliases) in the seed's order", () => {
    const providers = providersFromEnv(
      {
        REACT_APP_OPENAI_API_KEY: 'sk-openai',
        AZURE_OPENAI_API_KEY: 'az-key',
        AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com',
        AWS_ACCESS_KEY_ID: 'AKIA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_REGION: 'eu-west-1',
        GEMINI_API_KEY: 'g-key',
        ANTHROPIC_API_KEY: 'sk-ant',
        CUSTOM_ENDPOINTS: 'http://10.0.0.5:8000',
      },
      defaultDefinitions,
    );
    expect(providers.map((provider) => [provider.id, provider.type, provider.priority])).toEqual([
      ['openai', 'openai', 1],
      ['azure', 'azure', 2],
      ['aws', 'aws', 3],
      ['gcp', 'gcp', 4],
      ['anthropic', 'anthropic', 5],
      ['custom-1', 'openai-compatible', 6],
    ]);
    const config = parseConfig({ providers }, defaultDefinitions);
    expect(config.providers.find((provider) => provider.id === 'aws')?.endpoint).toBe(
      'https://bedrock-runtime.eu-west-1.amazonaws.com',
    );
  });

  it('tell local servers from cloud providers', () => {
    const config = parseConfig(
      {
        providers: [
          { id: 'lm', name: 'LM', type: 'lmstudio' },
          { id: 'box', name: 'Box', type: 'openai-compatible', endpoint: 'http://localhost:8000' },
          { id: 'far', name: 'Far', type: 'openai-compatible', endpoint: 'https://far.test' },
          { id: 'o', name: 'O', type: 'openai', apiKey: 'k' },
        ],
      },
      defaultDefinitions,
    );
    expect(config.providers.map((provider) => [provider.id, provider.local])).toEqual([
      ['lm', true],
      ['box', true],
      ['far', false],
      ['o', false],
    ]);
  });

  it('check Bedrock credentials at parse time with the words the adapter uses', () => {
    const issuesOf = (provider: Record<string, unknown>) => {
      try {
        parseConfig(
          { providers: [{ id: 'b', name: 'B', type: 'bedrock', ...provider }] },
          defaultDefinitions,
        );
      } catch (error) {
        return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
      }
      return [];
    };
    expect(issuesOf({ config: { region: 'us-east-1', authMode: 'bearer' } })).toEqual([
      'providers[0].apiKey: is required: the Bedrock API key',
    ]);
    expect(issuesOf({ apiKey: 'AKIA', endpoint: 'https://proxy.test' })).toEqual([
      'providers[0].config.secretKey: is required: the AWS secret access key',
      'providers[0].config.region: is required (the endpoint does not name a region)',
    ]);
  });
});
