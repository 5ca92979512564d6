import { describe, expect, it } from 'vitest';
import { emptyModelRow, initialValues, slugify, toProviderInput } from './provider-form-values.ts';
import type { ProviderTemplateView, ProviderView } from './types.ts';

const bedrock: ProviderTemplateView = {
  type: 'aws',
  label: 'AWS Bedrock',
  fields: [
    { name: 'apiKey', label: 'Access key id', secret: true, required: true },
    { name: 'config.secretKey', label: 'Secret access key', secret: true, required: true },
    { name: 'config.region', label: 'Region', secret: false, required: true },
    { name: 'config.customFormat', label: 'Custom format', secret: false, required: false },
  ],
};

const stored: ProviderView = {
  id: 'aws',
  name: 'AWS Bedrock',
  type: 'aws',
  endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com',
  priority: 3,
  enabled: true,
  weight: 2,
  hasApiKey: true,
  hasSecretKey: true,
  config: { region: 'us-east-1' },
  models: [
    { name: 'claude', id: 'anthropic.claude-3', inputPricePerMTok: 3, outputPricePerMTok: 15 },
  ],
};

describe('provider form values', () => {
  it('never pre-fills secrets when editing, but keeps the other settings', () => {
    const values = initialValues(bedrock, 9, stored);
    expect(values.fields.apiKey).toBe('');
    expect(values.fields['config.secretKey']).toBe('');
    expect(values.fields['config.region']).toBe('us-east-1');
    expect(values.priority).toBe('3');
    expect(values.models[0]).toMatchObject({
      name: 'claude',
      id: 'anthropic.claude-3',
      inputPricePerMTok: '3',
    });
  });

  it('omits blank secrets on edit so the server keeps them, and sends "" to remove one', () => {
    const values = initialValues(bedrock, 9, stored);
    values.clearSecrets = ['config.secretKey'];
    const { input, errors } = toProviderInput(values, bedrock, 'edit');
    expect(errors).toEqual({});
    expect('apiKey' in input).toBe(false);
    expect(input.config?.secretKey).toBe('');
    expect(input.config?.region).toBe('us-east-1');
  });

  it('sends typed secrets, parses JSON settings and numbers', () => {
    const values = initialValues(bedrock, 4);
    values.name = 'Bedrock';
    values.id = 'bedrock';
    values.fields.apiKey = 'AKIA123';
    values.fields['config.secretKey'] = 'shh';
    values.fields['config.region'] = 'eu-west-1';
    values.fields['config.customFormat'] = '{"path":"/x"}';
    values.weight = '0.5';
    const { input, errors } = toProviderInput(values, bedrock, 'create');
    expect(errors).toEqual({});
    expect(input).toMatchObject({
      id: 'bedrock',
      apiKey: 'AKIA123',
      priority: 4,
      weight: 0.5,
      config: { secretKey: 'shh', region: 'eu-west-1', customFormat: { path: '/x' } },
    });
  });

  it('reports values that cannot be converted instead of sending them', () => {
    const values = initialValues(bedrock, 1);
    values.fields['config.customFormat'] = '{not json';
    values.priority = '1.5';
    values.models = [{ ...emptyModelRow('m'), inputPricePerMTok: 'cheap' }];
    const { errors } = toProviderInput(values, bedrock, 'create');
    expect(errors).toEqual({
      'config.customFormat': 'must be valid JSON',
      priority: 'must be a whole number',
      'models[0].inputPricePerMTok': 'must be a number',
    });
  });

  it("keeps an embedding model's kind, dimensions and space through an edit", () => {
    const values = initialValues(bedrock, 9, {
      ...stored,
      models: [
        {
          name: 'titan',
          id: 'amazon.titan-embed-text-v2:0',
          kind: 'embedding',
          dimensions: 1024,
          space: 'titan-v2',
        },
      ],
    });
    const { input, errors } = toProviderInput(values, bedrock, 'edit');
    expect(errors).toEqual({});
    expect(input.models).toEqual([
      {
        name: 'titan',
        id: 'amazon.titan-embed-text-v2:0',
        kind: 'embedding',
        dimensions: 1024,
        space: 'titan-v2',
      },
    ]);
  });

  it("fills a discovered model's row from its listing, and checks the dimensions", () => {
    expect(
      emptyModelRow({ id: 'text-embedding-3-small', kind: 'embedding', dimensions: 1536 }),
    ).toMatchObject({ name: 'text-embedding-3-small', kind: 'embedding', dimensions: '1536' });
    expect(emptyModelRow('gpt-4o')).toMatchObject({ name: 'gpt-4o', kind: '', dimensions: '' });
    const values = initialValues(bedrock, 1);
    values.models = [{ ...emptyModelRow({ id: 'e', kind: 'embedding' }), dimensions: '3.5' }];
    expect(toProviderInput(values, bedrock, 'create').errors).toEqual({
      'models[0].dimensions': 'must be a whole number',
    });
  });

  it('derives ids from names', () => {
    expect(slugify('  My OpenAI (EU) ')).toBe('my-openai-eu');
  });
});
