import { describe, expect, it } from 'vitest';
import { cohereErrorFromResponse } from './cohere-error.ts';
import { mapCohereFinishReason } from './map-cohere-finish-reason.ts';

function errorFor(status: number, message: string, headers: Record<string, string> = {}) {
  return cohereErrorFromResponse(
    { status, headers },
    JSON.stringify({ id: 'e1', message }),
    'cohere',
  );
}

describe('cohereErrorFromResponse', () => {
  it('classifies by status, with the message deciding context length and spent quotas', () => {
    expect(errorFor(498, 'blocked token')).toMatchObject({ kind: 'auth', status: 498 });
    expect(errorFor(403, 'forbidden').kind).toBe('auth');
    expect(
      errorFor(422, 'too many tokens: total number of tokens in the prompt cannot exceed 4081')
        .kind,
    ).toBe('context_length');
    expect(errorFor(422, 'invalid field').kind).toBe('bad_request');
    expect(errorFor(504, 'gateway timeout').kind).toBe('timeout');
    expect(errorFor(429, 'slow down', { 'retry-after': '2' })).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(
      errorFor(429, 'You are using a Trial key, which is limited to 1000 API calls / month.'),
    ).toMatchObject({ kind: 'rate_limited', retryable: false });
    expect(errorFor(501, 'not implemented for this model')).toMatchObject({
      kind: 'server',
      retryable: false,
    });
  });

  it('keeps the text of bodies that are not JSON', () => {
    expect(
      cohereErrorFromResponse({ status: 502, headers: {} }, 'Bad Gateway', 'cohere').message,
    ).toBe('Cohere: Bad Gateway');
  });
});

describe('mapCohereFinishReason', () => {
  it('maps Cohere reasons', () => {
    expect(mapCohereFinishReason('COMPLETE')).toEqual({ unified: 'stop', raw: 'COMPLETE' });
    expect(mapCohereFinishReason('STOP_SEQUENCE').unified).toBe('stop');
    expect(mapCohereFinishReason('MAX_TOKENS').unified).toBe('length');
    expect(mapCohereFinishReason('TOOL_CALL').unified).toBe('tool_calls');
    expect(mapCohereFinishReason('TIMEOUT').unified).toBe('error');
    expect(mapCohereFinishReason(undefined)).toEqual({ unified: 'stop', raw: null });
  });
});
