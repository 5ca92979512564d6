import { describe, expect, it } from 'vitest';
import {
  AllProvidersFailedError,
  GatewayError,
  NoHealthyProvidersError,
} from '../../spec/errors.ts';
import { messagesErrorResponse } from './messages-error.ts';

function answer(error: unknown): { status: number; body: unknown } {
  const response = messagesErrorResponse(error, 'req1');
  if (response.kind !== 'body') throw new Error('expected a body');
  return { status: response.status, body: JSON.parse(response.body) };
}

const attempt = (kind: 'overloaded' | 'rate_limited' | 'server') => ({
  provider: 'p',
  model: 'm',
  outcome: 'error' as const,
  kind,
  latencyMs: 1,
});

describe('messagesErrorResponse', () => {
  it("answers in Anthropic's envelope with its status codes", () => {
    const unauthorized = new GatewayError({
      status: 401,
      type: 'authentication_error',
      code: 'invalid_api_key',
      message: 'bad key',
    });
    expect(answer(unauthorized)).toEqual({
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error', message: 'bad key' } },
    });
    expect(answer(new NoHealthyProvidersError('none')).status).toBe(529);
    const overloaded = answer(new AllProvidersFailedError([attempt('overloaded')]));
    expect(overloaded).toMatchObject({
      status: 529,
      body: { error: { type: 'overloaded_error' } },
    });
    const limited = answer(new AllProvidersFailedError([attempt('rate_limited')]));
    expect(limited).toMatchObject({ status: 429, body: { error: { type: 'rate_limit_error' } } });
    const mixed = answer(new AllProvidersFailedError([attempt('overloaded'), attempt('server')]));
    expect(mixed).toMatchObject({ status: 502, body: { error: { type: 'api_error' } } });
    expect(answer(new Error('boom'))).toMatchObject({
      status: 500,
      body: { error: { type: 'api_error' } },
    });
  });
});
