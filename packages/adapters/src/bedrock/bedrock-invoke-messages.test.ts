import { describe, expect, it } from 'vitest';
import { bedrockMessagesBody, isBedrockAnthropicModel } from './bedrock-invoke-messages.ts';

describe('bedrockMessagesBody', () => {
  it('adds the Bedrock version and the betas, cuts model and stream', () => {
    const native = {
      dialect: 'messages' as const,
      body: '{ "model":"m", "stream":true, "max_tokens":5, "messages":[] }',
      headers: { 'anthropic-beta': 'a-1, b-2' },
    };
    expect(bedrockMessagesBody(native)).toBe(
      '{"anthropic_version":"bedrock-2023-05-31","anthropic_beta":["a-1","b-2"], "max_tokens":5, "messages":[] }',
    );
  });

  it('keeps a version the client set itself', () => {
    const body = '{"anthropic_version":"bedrock-2023-05-31","max_tokens":5}';
    expect(bedrockMessagesBody({ dialect: 'messages', body, headers: {} })).toBe(body);
  });
});

describe('isBedrockAnthropicModel', () => {
  it('reads the provider prefix of ids, profiles and ARNs', () => {
    expect(isBedrockAnthropicModel('anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(true);
    expect(isBedrockAnthropicModel('us.anthropic.claude-sonnet-4-5-v1:0')).toBe(true);
    expect(
      isBedrockAnthropicModel(
        'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      ),
    ).toBe(true);
    expect(isBedrockAnthropicModel('amazon.nova-lite-v1:0')).toBe(false);
  });
});
