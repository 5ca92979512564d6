import {
  knownProviderTypes,
  parseConfig,
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
