import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/index.ts';
import { bedrockErrorFromResponse, bedrockExceptionName } from './bedrock-error.ts';

function response(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: Readable.from([]) as unknown as HttpResponse['body'] };
}

describe('Bedrock error classification', () => {
  it('reads the exception name from the header, the body __type and stream frame names', () => {
    expect(
      bedrockExceptionName(
        'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      ),
    ).toBe('ThrottlingException');
    expect(bedrockExceptionName('com.amazon.coral.service#ExpiredTokenException')).toBe(
      'ExpiredTokenException',
    );
    expect(bedrockExceptionName('throttlingException')).toBe('ThrottlingException');
    expect(bedrockExceptionName('')).toBeUndefined();
  });

  it('classifies by exception name before status', () => {
    const throttled = bedrockErrorFromResponse(
      response(429, { 'x-amzn-errortype': 'ThrottlingException:http://x/' }),
      '{"message":"Too many tokens"}',
      'b',
    );
    expect(throttled).toMatchObject({
      kind: 'rate_limited',
      code: 'ThrottlingException',
      message: 'Too many tokens',
      retryable: true,
    });
    const notReady = bedrockErrorFromResponse(
      response(429, { 'x-amzn-errortype': 'ModelNotReadyException' }),
      '{"message":"not ready"}',
      'b',
    );
    expect(notReady.kind).toBe('overloaded');
    const expired = bedrockErrorFromResponse(
      response(403),
      '{"__type":"com.amazon.coral.service#ExpiredTokenException","Message":"The security token included in the request is expired"}',
      'b',
    );
    expect(expired).toMatchObject({
      kind: 'auth',
      code: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
    expect(
      bedrockErrorFromResponse(
        response(408, { 'x-amzn-errortype': 'ModelTimeoutException' }),
        '{}',
        'b',
      ).kind,
    ).toBe('timeout');
    expect(
      bedrockErrorFromResponse(
        response(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }),
        '{}',
        'b',
      ).kind,
    ).toBe('not_found');
    expect(
      bedrockErrorFromResponse(
        response(400, { 'x-amzn-errortype': 'ServiceQuotaExceededException' }),
        '{}',
        'b',
      ),
    ).toMatchObject({ kind: 'rate_limited', retryable: false });
  });

  it('tells context-length and unknown-model validation errors from other bad requests', () => {
    const validation = (message: string) =>
      bedrockErrorFromResponse(
        response(400, { 'x-amzn-errortype': 'ValidationException' }),
        JSON.stringify({ message }),
        'b',
      ).kind;
    expect(validation('prompt is too long: 250000 tokens > 200000 maximum')).toBe('context_length');
    expect(validation('The provided model identifier is invalid.')).toBe('not_found');
    expect(validation('messages: roles must alternate')).toBe('bad_request');
  });

  it('falls back to the status for unknown names and non-JSON bodies', () => {
    expect(bedrockErrorFromResponse(response(502), '<html>Bad Gateway</html>', 'b')).toMatchObject({
      kind: 'server',
      message: '<html>Bad Gateway</html>',
      status: 502,
    });
    expect(bedrockErrorFromResponse(response(503), '', 'b').kind).toBe('overloaded');
  });
});
