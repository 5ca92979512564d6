// Verifies an AWS SigV4 `Authorization` header the way AWS does: rebuild the canonical request from
// what was received (method, path encoded twice, sorted query, the signed headers, the SHA-256 of
// the received body), derive the signing key from the known secret, and compare signatures.
// Written on node:crypto, independently of the signer under test.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Request {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  /** Lower-case names (HTTP/2 pseudo-headers such as `:authority` included). */
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
}

export type SigV4Verdict =
  | { ok: true }
  | {
      ok: false;
      /** The AWS exception name the service answers with. */
      errorType:
        | 'MissingAuthenticationTokenException'
        | 'IncompleteSignatureException'
        | 'UnrecognizedClientException'
        | 'InvalidSignatureException';
      message: string;
    };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;
/** AWS refuses requests signed more than 15 minutes away from its clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

function headerText(headers: SigV4Request['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** RFC 3986 encoding as SigV4 wants it (also `!'()*`). */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/** Query strings are form-encoded: `+` is a space. */
function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    // a malformed escape is signed as received; the signatures will not match
    return part;
  }
}

function canonicalQuery(query: string): string {
  if (query.length === 0) return '';
  return query
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
      return [escapeUri(decodeQueryPart(key)), escapeUri(decodeQueryPart(value))] as const;
    })
    .sort(([keyA, valueA], [keyB, valueB]) =>
      keyA === keyB ? (valueA < valueB ? -1 : 1) : keyA < keyB ? -1 : 1,
    )
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function refuse(
  errorType: Extract<SigV4Verdict, { ok: false }>['errorType'],
  message: string,
): SigV4Verdict {
  return { ok: false, errorType, message };
}

export function verifySigV4(
  request: SigV4Request,
  expected: { credentials: SigV4Credentials; region: string; service: string; now?: number },
): SigV4Verdict {
  const authorization = headerText(request.headers, 'authorization');
  if (!authorization)
    return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = AUTHORIZATION.exec(authorization);
  if (!match)
    return refuse(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
    );
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] =
    match as unknown as [string, string, string, string, string, string, string];
  const { credentials } = expected;
  if (accessKeyId !== credentials.accessKeyId)
    return refuse(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  if (
    credentials.sessionToken !== undefined &&
    headerText(request.headers, 'x-amz-security-token') !== credentials.sessionToken
  ) {
    return refuse(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  if (region !== expected.region || service !== expected.service) {
    return refuse(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region and service ('${expected.region}', '${expected.service}').`,
    );
  }
  const signedHeaders = signedHeaderList.split(';');
  const amzDate = headerText(request.headers, 'x-amz-date');
  const dateMatch = amzDate === undefined ? null : AMZ_DATE.exec(amzDate);
  if (!amzDate || !dateMatch || !signedHeaders.includes('x-amz-date'))
    return refuse(
      'IncompleteSignatureException',
      'The x-amz-date header must be present and signed.',
    );
  if (!signedHeaders.includes('host') && !signedHeaders.includes(':authority'))
    return refuse('InvalidSignatureException', 'The host header must be signed.');
  if (dateMatch[1] !== scopeDate)
    return refuse(
      'InvalidSignatureException',
      'Date in Credential scope does not match the x-amz-date header.',
    );
  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (Math.abs((expected.now ?? Date.now()) - signedAt) > MAX_CLOCK_SKEW_MS)
    return refuse(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier or later than allowed.`,
    );

  const queryStart = request.url.indexOf('?');
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const canonicalHeaders = signedHeaders
    .map(
      (name) =>
        `${name}:${(headerText(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  // the hash of the bytes received, so a body changed after signing fails verification
  const payloadHash =
    headerText(request.headers, 'x-amz-content-sha256') === UNSIGNED_PAYLOAD
      ? UNSIGNED_PAYLOAD
      : sha256Hex(request.body);
  const canonicalRequest = [
    request.method,
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, scopeDate), region), service),
    'aws4_request',
  );
  const computed = hmac(signingKey, stringToSign);
  if (!timingSafeEqual(computed, Buffer.from(signature, 'hex'))) {
    return refuse(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true };
}
