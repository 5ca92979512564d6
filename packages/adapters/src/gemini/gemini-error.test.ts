import { describe, expect, it } from 'vitest';
import { geminiErrorFromResponse } from './gemini-error.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';

function errorFor(status: number, body: unknown, headers: Record<string, string> = {}) {
  return geminiErrorFromResponse(
    { status, headers },
    typeof body === 'string' ? body : JSON.stringify(body),
    'google',
  );
}

function rpc(code: number, status: string, message: string, details?: unknown[]) {
  return { error: { code, status, message, ...(details ? { details } : {}) } };
}

describe('geminiErrorFromResponse', () => {
  it('classifies by RPC status and ErrorInfo reason', () => {
    expect(errorFor(403, rpc(403, 'PERMISSION_DENIED', 'denied')).kind).toBe('auth');
    expect(
      errorFor(
        400,
        rpc(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
      ).kind,
    ).toBe('auth');
    expect(errorFor(404, rpc(404, 'NOT_FOUND', 'models/x is not found')).kind).toBe('not_found');
    expect(errorFor(504, rpc(504, 'DEADLINE_EXCEEDED', 'Deadline expired')).kind).toBe('timeout');
    expect(errorFor(400, rpc(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.')).kind).toBe(
      'bad_request',
    );
    expect(
      errorFor(
        500,
        rpc(
          500,
          'INTERNAL',
          'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).',
        ),
      ).kind,
    ).toBe('context_length');
    expect(errorFor(500, rpc(500, 'INTERNAL', 'An internal error has occurred.'))).toMatchObject({
      kind: 'server',
      retryable: true,
      code: 'INTERNAL',
    });
  });

  it('marks a spent daily quota as not worth retrying, and keeps the retry delay', () => {
    const error = errorFor(
      429,
      rpc(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota', [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' },
      ]),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: false, retryAfterMs: 37_000 });
  });

  it('falls back to the status and a Retry-After header for bodies that are not Google errors', () => {
    const error = errorFor(429, '<html>Too Many Requests</html>', { 'retry-after': '3' });
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000, status: 429 });
    expect(error.message).toContain('Too Many Requests');
    expect(errorFor(502, '').kind).toBe('server');
  });
});

describe('mapGeminiFinishReason', () => {
  it('maps Gemini reasons and turns STOP with function calls into tool_calls', () => {
    expect(mapGeminiFinishReason('STOP', false)).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(mapGeminiFinishReason('STOP', true)).toEqual({ unified: 'tool_calls', raw: 'STOP' });
    expect(mapGeminiFinishReason('MAX_TOKENS', true)).toEqual({
      unified: 'length',
      raw: 'MAX_TOKENS',
    });
    expect(mapGeminiFinishReason('RECITATION', false).unified).toBe('content_filter');
    expect(mapGeminiFinishReason('PROHIBITED_CONTENT', false).unified).toBe('content_filter');
    expect(mapGeminiFinishReason('MALFORMED_FUNCTION_CALL', false).unified).toBe('error');
    expect(mapGeminiFinishReason('SOMETHING_NEW', false)).toEqual({
      unified: 'other',
      raw: 'SOMETHING_NEW',
    });
  });
});
