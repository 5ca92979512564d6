// Checks on a tRPC HTTP request made before tRPC sees it: things tRPC either does not check or
// checks only after it has read and parsed the whole body.
import { isAllowedHost } from '../auth/allowed-hosts.ts';
import { TrpcRefusal } from './http-refusal.ts';

/** Largest batch tRPC accepts; the dashboard's pages batch far fewer calls. */
export const MAX_BATCH_SIZE = 50;

/** The procedure paths a request calls: `a.b,c.d` after the endpoint. */
export function proceduresOf(url: URL, endpoint: string): string[] {
  const rest = url.pathname.startsWith(`${endpoint}/`)
    ? url.pathname.slice(endpoint.length + 1)
    : '';
  return decodeURIComponent(rest).split(',').filter(Boolean);
}

export function isBatch(url: URL): boolean {
  return url.searchParams.get('batch') === '1';
}

/**
 * Sign-in and setup are answered one per request: a batch would run its password checks in
 * parallel, and one request could try hundreds of passwords.
 */
export function checkBatch(procedures: ReadonlyArray<string>): void {
  if (procedures.length > 1 && procedures.some((path) => path.startsWith('auth.')))
    throw new TrpcRefusal('BAD_REQUEST', 'Send sign-in calls one per request, not in a batch.');
}

/** Refuses a Host the dashboard does not go by (DNS rebinding); see allowed-hosts.ts. */
export function checkHost(request: Request, allowed: ReadonlyArray<string>): void {
  const host = request.headers.get('host') ?? new URL(request.url).host;
  if (!isAllowedHost(host, allowed))
    throw new TrpcRefusal(
      'FORBIDDEN',
      'This server does not answer to that host name. Set SWITCHYARD_PUBLIC_URL to the address it is reached at.',
    );
}

/** Largest request body read for an ordinary call. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest body for a configuration import (a whole config file in one call). */
export const MAX_IMPORT_BODY_BYTES = 8 * 1024 * 1024;

/** The body limit for these procedures: the import's when the call is a config import. */
export function bodyLimitFor(procedures: ReadonlyArray<string>): number {
  return procedures.includes('settings.importConfig') ? MAX_IMPORT_BODY_BYTES : MAX_BODY_BYTES;
}

function tooLarge(limit: number): TrpcRefusal {
  return new TrpcRefusal(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${Math.round(limit / 1024)} KiB.`,
  );
}

/**
 * The request with its body read into memory, refused as soon as it passes `limit` bytes:
 * tRPC would otherwise read and parse any size before a single input check runs.
 */
export async function withCappedBody(request: Request, limit: number): Promise<Request> {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return request;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: Buffer.concat(chunks),
    signal: request.signal,
  });
}

const JSON_CONTENT_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Calls with a body must say it is JSON: the types a page on another site can send without a
 * preflight (form posts, text/plain, multipart) are refused before anything reads them.
 */
export function checkContentType(request: Request): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const type = request.headers.get('content-type') ?? '';
  if (!JSON_CONTENT_TYPE.test(type.trim()))
    throw new TrpcRefusal('UNSUPPORTED_MEDIA_TYPE', 'Send the call as application/json.');
}

/**
 * Refuses calls a browser made on behalf of another site (CSRF): `Sec-Fetch-Site` says so in
 * current browsers; `Origin`, when sent, must be this server's own origin or the public URL's.
 * Calls without either come from programs, not from pages, and pass.
 */
export function checkSameOrigin(request: Request, publicUrl?: string): void {
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') throw crossSite();
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const host = request.headers.get('host') ?? new URL(request.url).host;
  const own = [`http://${host}`, `https://${host}`];
  if (publicUrl) own.push(new URL(publicUrl).origin);
  if (!own.includes(origin.toLowerCase())) throw crossSite();
}

function crossSite(): TrpcRefusal {
  return new TrpcRefusal('FORBIDDEN', 'Calls from another site are refused.');
}
