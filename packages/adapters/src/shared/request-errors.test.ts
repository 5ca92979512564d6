import { UpstreamError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { invalidRequest, unsupportedParameter } from './request-errors.ts';

const source = { provider: 'claude', vendor: 'Anthropic' };

describe('unsupportedParameter', () => {
  it('refuses the field before sending, naming it, so the router may try elsewhere', () => {
    const error = unsupportedParameter(source, 'logprobs');
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      kind: 'bad_request',
      status: 400,
      code: 'unsupported_parameter',
      param: 'logprobs',
      retryable: false,
      provider: 'claude',
      message: 'Anthropic does not support logprobs',
    });
  });

  it('says which use of the field is refused when given a reason', () => {
    expect(unsupportedParameter(source, 'n', 'one choice per request').message).toBe(
      'Anthropic does not support n (one choice per request)',
    );
  });
});

describe('invalidRequest', () => {
  it('is a non-retryable bad request with its own code', () => {
    expect(invalidRequest('claude', 'messages[0]', 'bad')).toMatchObject({
      kind: 'bad_request',
      status: 400,
      code: 'invalid_request',
      param: 'messages[0]',
      retryable: false,
      message: 'bad',
    });
  });
});
