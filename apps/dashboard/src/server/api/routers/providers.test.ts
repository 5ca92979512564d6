import { defaultDefinitions } from '@switchyard/adapters';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { ProviderRecord } from '@switchyard/db';
import { fieldErrorsOf } from '../field-errors.ts';
import { mergeForValidation, validateProvider } from './providers.ts';

function refusal(candidate: Record<string, unknown>): TRPCError {
  try {
    validateProvider(candidate, defaultDefinitions);
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('the provider was accepted');
}

const bedrock = {
  id: 'aws',
  name: 'AWS Bedrock',
  type: 'aws',
  endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com',
  priority: 3,
  enabled: true,
  weight: 1,
  models: [],
  config: { region: 'us-east-1' },
  hasApiKey: true,
  hasSecretKey: true,
  createdAt: new Date(),
  updatedAt: new Date(),
} as unknown as ProviderRecord;

describe('provider validation', () => {
  it('answers with the config schema’s messages, keyed by form field', () => {
    const error = refusal({ id: 'bad id!', name: '', type: 'aws', endpoint: 'ftp://x' });
    expect(error.code).toBe('BAD_REQUEST');
    const fields = fieldErrorsOf(error) ?? {};
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['id', 'name', 'endpoint']));
    expect(fields.endpoint).toBe('must be an http(s) URL');
  });

  it('applies the vendor rules the gateway applies when loading (Bedrock needs its keys)', () => {
    const fields =
      fieldErrorsOf(
        refusal({ id: 'aws', name: 'AWS', type: 'aws', config: { region: 'us-east-1' } }),
      ) ?? {};
    expect(fields.apiKey).toMatch(/access key id/);
    expect(fields['config.secretKey']).toMatch(/secret access key/);
  });

  it('accepts a complete provider', () => {
    expect(() =>
      validateProvider(
        { id: 'openai', name: 'OpenAI', type: 'openai', apiKey: 'sk-test' },
        defaultDefinitions,
      ),
    ).not.toThrow();
  });

  it('counts stored secrets as present when a patch leaves them out', () => {
    expect(() =>
      validateProvider(
        mergeForValidation(bedrock, { name: 'Bedrock EU', config: { region: 'eu-west-1' } }),
        defaultDefinitions,
      ),
    ).not.toThrow();
  });

  it('notices when a patch clears a required secret', () => {
    const fields =
      fieldErrorsOf(
        refusal(mergeForValidation(bedrock, { config: { region: 'us-east-1', secretKey: '' } })),
      ) ?? {};
    expect(Object.keys(fields)).toEqual(['config.secretKey']);
    const apiKey = fieldErrorsOf(refusal(mergeForValidation(bedrock, { apiKey: '' }))) ?? {};
    expect(Object.keys(apiKey)).toEqual(['apiKey']);
  });
});
