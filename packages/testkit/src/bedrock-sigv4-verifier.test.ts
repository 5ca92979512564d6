// The verifier must accept what the reference signer (@smithy/signature-v4) signs and refuse any change.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type SigV4Request } from './bedrock-sigv4-verifier.ts';

const credentials = { accessKeyId: 'AKIDVERIFY', secretAccessKey: 'verify/secret' };
const signingDate = new Date('2025-06-01T12:00:00Z');
const now = signingDate.getTime() + 60_000;

async function signed(options: {
  path: string;
  query?: Record<string, string>;
  body?: string;
  sessionToken?: string;
  date?: Date;
}): Promise<SigV4Request> {
  const signer = new SignatureV4({
    service: 'bedrock',
    region: 'us-east-1',
    credentials: { ...credentials, sessionToken: options.sessionToken },
    sha256: Sha256,
  });
  const request = await signer.sign(
    new HttpRequest({
      method: options.body === undefined ? 'GET' : 'POST',
      protocol: 'https:',
      hostname: 'bedrock-runtime.us-east-1.amazonaws.com',
      path: options.path,
      query: options.query,
      headers: {
        host: 'bedrock-runtime.us-east-1.amazonaws.com',
        'content-type': 'application/json',
      },
      body: options.body,
    }),
    { signingDate: options.date ?? signingDate },
  );
  const query = new URLSearchParams(options.query ?? {}).toString();
  return {
    method: request.method,
    url: options.path + (query ? `?${query}` : ''),
    headers: request.headers,
    body: options.body ?? '',
  };
}

const expected = { credentials, region: 'us-east-1', service: 'bedrock', now };

describe('verifySigV4', () => {
  it('accepts a correctly signed request with an encoded model id and a query', async () => {
    const post = await signed({
      path: '/model/arn%3Aaws%3Abedrock%3A%3Afoundation-model%2Fa.b-v1%3A0/converse',
      body: '{"messages":[]}',
    });
    expect(verifySigV4(post, expected)).toEqual({ ok: true });
    const get = await signed({
      path: '/foundation-models',
      query: { byOutputModality: 'TEXT', byProvider: 'Meta Llama' },
    });
    expect(verifySigV4(get, expected)).toEqual({ ok: true });
  });

  it('refuses a changed body, path or header, and a wrong secret', async () => {
    const request = await signed({ path: '/model/m/converse', body: '{"a":1}' });
    const refused = { ok: false, errorType: 'InvalidSignatureException' };
    expect(verifySigV4({ ...request, body: '{"a":2}' }, expected)).toMatchObject(refused);
    expect(verifySigV4({ ...request, url: '/model/n/converse' }, expected)).toMatchObject(refused);
    expect(
      verifySigV4(
        { ...request, headers: { ...request.headers, 'content-type': 'text/plain' } },
        expected,
      ),
    ).toMatchObject(refused);
    expect(
      verifySigV4(request, {
        ...expected,
        credentials: { ...credentials, secretAccessKey: 'other' },
      }),
    ).toMatchObject(refused);
  });

  it('refuses unknown keys, wrong scopes, stale signatures and missing tokens', async () => {
    const request = await signed({ path: '/model/m/converse', body: '{}' });
    expect(
      verifySigV4(request, {
        ...expected,
        credentials: { ...credentials, accessKeyId: 'AKIDOTHER' },
      }),
    ).toMatchObject({ errorType: 'UnrecognizedClientException' });
    expect(verifySigV4(request, { ...expected, region: 'eu-west-1' })).toMatchObject({
      errorType: 'InvalidSignatureException',
    });
    expect(verifySigV4(request, { ...expected, now: now + 30 * 60_000 })).toMatchObject({
      errorType: 'InvalidSignatureException',
      message: expect.stringMatching(/expired/) as string,
    });
    expect(verifySigV4({ ...request, headers: {} }, expected)).toMatchObject({
      errorType: 'MissingAuthenticationTokenException',
    });
    const withToken = await signed({ path: '/model/m/converse', body: '{}', sessionToken: 'tok' });
    expect(
      verifySigV4(withToken, { ...expected, credentials: { ...credentials, sessionToken: 'tok' } }),
    ).toEqual({ ok: true });
    expect(
      verifySigV4(request, { ...expected, credentials: { ...credentials, sessionToken: 'tok' } }),
    ).toMatchObject({ errorType: 'UnrecognizedClientException' });
  });
});
